/**
 * Market statistics over the filtered properties, per group. Medians and quartiles are exact
 * (`percentile_cont`); prices are grouped per currency too, because a median across currencies
 * means nothing. The query reads only columns of `properties_stats_idx` (covering, INCLUDE) when
 * the filters are the usual country/status/listing type/city ones, so it is an index-only scan; the
 * table has parallel scans switched off (2 cores: serial is 3× faster; docs/query-design.md "P11").
 *
 * The city rollup (migration 0006, `stats-rollup.ts`) computes the same figures with the same SQL
 * expressions; a change here needs a migration that redefines it. `get.rollup.test.ts` compares the two.
 */
import { filterConditions } from "./filters";
import type { Filters } from "./params";
import { and, SqlParams, type SqlQuery } from "./sql";

export const GROUP_BYS = ["none", "country", "city", "postal_code", "property_type", "month", "week"] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** New listings and price drops count what happened in this many days before now. */
export const ACTIVITY_WINDOW_DAYS = 30;
export const MAX_GROUPS = 500;

const GROUP_KEY: Record<GroupBy, { key: string; label: string; order: string }> = {
  none: { key: "'all'", label: "'all'", order: "count(*) DESC" },
  // One row per country and currency: the markets a client can choose from (largest first).
  country: { key: "p.country", label: "p.country", order: "count(*) DESC, 1" },
  city: { key: "p.city_key", label: "min(p.city)", order: "count(*) DESC, 1" },
  postal_code: { key: "p.postal_code", label: "p.postal_code", order: "count(*) DESC, 1" },
  property_type: { key: "p.property_type", label: "p.property_type", order: "count(*) DESC, 1" },
  month: { key: "to_char(date_trunc('month', p.listed_at AT TIME ZONE 'UTC'), 'YYYY-MM')", label: "", order: "1" },
  week: { key: "to_char(date_trunc('week', p.listed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')", label: "", order: "1" },
};

/**
 * Days on market counts only dates the sources gave: a sale needs a listing date before it. Datasets
 * of sales report the sale alone (their listing date is the sale date), and a listing first seen
 * without a date is dated by its import, which lies after a historical sale: neither is a time on the
 * market, so both are left out (NULL, which percentile_cont skips) instead of counting as 0 or less.
 * An unsold listing counts from its listing date to now.
 */
const DAYS_ON_MARKET = `CASE WHEN p.sold_at IS NULL OR p.sold_at > p.listed_at
          THEN extract(epoch FROM coalesce(p.sold_at, now()) - p.listed_at) / 86400.0 END`;

/** A price drop: a `price_change` event whose new price is below the old one (prices in `price_minor`, or `price`). */
const DROP = `coalesce((e.new->>'price_minor')::numeric, (e.new->>'price')::numeric)
            < coalesce((e.old->>'price_minor')::numeric, (e.old->>'price')::numeric)`;

/**
 * `currency` narrows the question to one market's money: a client asking for one currency gets
 * series it can draw on one axis (the groups are per currency anyway).
 */
export function buildStatsQuery(filters: Filters, groupBy: GroupBy, currency?: string): SqlQuery {
  const p = new SqlParams();
  const g = GROUP_KEY[groupBy];
  const label = g.label || g.key;
  const window = `now() - make_interval(days => ${ACTIVITY_WINDOW_DAYS})`;
  const text = `SELECT ${g.key} AS key, ${label} AS label, p.currency,
      count(*)::int AS count,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY p.price_minor) AS median_price_minor,
      percentile_cont(0.25) WITHIN GROUP (ORDER BY p.price_minor) AS p25_price_minor,
      percentile_cont(0.75) WITHIN GROUP (ORDER BY p.price_minor) AS p75_price_minor,
      avg(p.price_minor)::float8 AS avg_price_minor,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY p.price_per_sqm) AS median_price_per_sqm,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ${DAYS_ON_MARKET}) AS median_days_on_market,
      count(*) FILTER (WHERE p.listed_at >= ${window})::int AS new_listings,
      count(*) FILTER (WHERE p.id IN (SELECT e.property_id FROM property_events e
        WHERE e.type = 'price_change' AND e.occurred_at >= ${window} AND ${DROP}))::int AS price_drops
    FROM properties p
    WHERE ${and([...filterConditions(p, filters), currency && `p.currency = ${p.add(currency, "bpchar")}`])}
    GROUP BY ${groupBy === "none" ? "p.currency" : `${g.key}, p.currency`}
    ORDER BY ${g.order}
    LIMIT ${MAX_GROUPS + 1}`;
  return { text, values: p.values };
}
