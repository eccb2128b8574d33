/**
 * Market statistics by city for a whole country, from the `property_stats_city` rollup (migration
 * 0006) instead of a live aggregate over hundreds of thousands of rows (docs/query-design.md "P11").
 *
 * The rollup answers only what it holds exactly: group by city, one country, one status, at most one
 * listing type and one property type, and no other filter. Everything else is computed live. Its
 * figures are as of its last refresh (a cron every 10 minutes, see `refreshStatsRollup`); a rollup
 * older than STALE_AFTER_MS, or never refreshed, is not used.
 */
import type { Env } from "../../env";
import { getSql } from "../db";
import type { Filters } from "./params";
import { SqlParams, type SqlQuery } from "./sql";
import type { GroupBy } from "./stats";
import { MAX_GROUPS } from "./stats";

export const ROLLUP_REFRESH_CRON = "*/10 * * * *";
/** Twice the refresh period plus the refresh itself: after that the rollup is taken to be stuck. */
export const STALE_AFTER_MS = 25 * 60 * 1000;

const ALL = "*";

/** The filters the rollup has dimensions for; any other filter makes the question a live one. */
function rollupKeys(filters: Filters): { country: string; status: string; listingType: string; propertyType: string } | null {
  // `priceCurrency` is not a filter: it is how price bounds would be read (none here, or they are in `others`).
  const { countries, statuses, listingTypes, propertyTypes, geo, priceCurrency: _priceCurrency, ...others } = filters;
  const single = (v: string[] | undefined) => v === undefined || v.length === 1;
  if (countries?.length !== 1 || statuses.length !== 1 || !single(listingTypes) || !single(propertyTypes)) return null;
  if (geo.near || geo.bbox || geo.polygon) return null;
  if (Object.values(others).some((v) => v !== undefined)) return null;
  return {
    country: countries[0] as string,
    status: statuses[0] as string,
    listingType: listingTypes?.[0] ?? ALL,
    propertyType: propertyTypes?.[0] ?? ALL,
  };
}

/** The rollup read for these filters, or null when the rollup cannot answer them. */
export function buildRollupStatsQuery(filters: Filters, groupBy: GroupBy, currency?: string): SqlQuery | null {
  if (groupBy !== "city") return null;
  const keys = rollupKeys(filters);
  if (!keys) return null;
  const p = new SqlParams();
  const text = `SELECT city_key AS key, label, currency, count, median_price_minor, p25_price_minor, p75_price_minor,
      avg_price_minor, median_price_per_sqm, median_days_on_market, new_listings, price_drops,
      round(extract(epoch FROM computed_at) * 1000)::float8 AS computed_at
    FROM property_stats_city
    WHERE country = ${p.add(keys.country, "bpchar")} AND status = ${p.add(keys.status, "text")}
      AND listing_type = ${p.add(keys.listingType, "text")} AND property_type = ${p.add(keys.propertyType, "text")}
      ${currency ? `AND currency = ${p.add(currency, "bpchar")}` : ""}
    ORDER BY count DESC, city_key
    LIMIT ${MAX_GROUPS + 1}`;
  return { text, values: p.values };
}

/** Recomputes the rollup without blocking its readers. */
export async function refreshStatsRollup(env: Env): Promise<void> {
  await getSql(env).query("REFRESH MATERIALIZED VIEW CONCURRENTLY property_stats_city");
}
