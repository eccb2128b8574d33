/**
 * Market statistics for filtered properties (GET /api/v1/stats): from the 10-minute rollup when it can
 * answer the question and is fresh (stats-rollup.ts), else computed live (stats.ts); amounts in whole
 * currency units.
 */
import type { Env } from "../../env";
import { pricePerSqmMajor, toMajor } from "./money";
import type { Filters } from "./params";
import { AGGREGATE_SETTINGS, queryRows } from "./run";
import { ACTIVITY_WINDOW_DAYS, buildStatsQuery, type GroupBy, MAX_GROUPS } from "./stats";
import { buildRollupStatsQuery, STALE_AFTER_MS } from "./stats-rollup";

type StatsRow = {
  key: string | null;
  label: string | null;
  currency: string;
  count: number;
  median_price_minor: number | null;
  p25_price_minor: number | null;
  p75_price_minor: number | null;
  avg_price_minor: number | null;
  median_price_per_sqm: number | null;
  median_days_on_market: number | null;
  new_listings: number;
  price_drops: number;
};

const round = (n: number | null, digits: number) => (n === null ? null : Math.round(Number(n) * 10 ** digits) / 10 ** digits);

/** Rows from the rollup when it can answer and is fresh, else null (and the caller computes live). */
async function fromRollup(
  env: Env,
  filters: Filters,
  groupBy: GroupBy,
  currency: string | undefined,
): Promise<{ rows: StatsRow[]; asOf: string } | null> {
  const q = buildRollupStatsQuery(filters, groupBy, currency);
  if (!q) return null;
  let rows: Array<StatsRow & { computed_at: number }>;
  try {
    rows = await queryRows(env, q);
  } catch (err) {
    // 55000: never populated (a fresh database before its first refresh).
    if ((err as { code?: string }).code === "55000") return null;
    throw err;
  }
  const computedAt = Number(rows[0]?.computed_at ?? 0);
  if (rows.length === 0 || Date.now() - computedAt > STALE_AFTER_MS) return null;
  return { rows, asOf: new Date(computedAt).toISOString() };
}

export async function runStats(env: Env, filters: Filters, groupBy: GroupBy, currency?: string) {
  const rollup = await fromRollup(env, filters, groupBy, currency);
  const rows =
    rollup?.rows ??
    (await queryRows<StatsRow>(env, { ...buildStatsQuery(filters, groupBy, currency), settings: AGGREGATE_SETTINGS }));
  return {
    success: true as const,
    data: {
      group_by: groupBy,
      activity_window_days: ACTIVITY_WINDOW_DAYS,
      as_of: rollup?.asOf ?? null,
      truncated: rows.length > MAX_GROUPS,
      groups: rows.slice(0, MAX_GROUPS).map((r) => {
        const major = (minor: number | null) => round(toMajor(minor, r.currency), 2);
        return {
          key: r.key ?? "",
          label: r.label ?? r.key ?? "",
          currency: r.currency.trim(),
          count: r.count,
          median_price: major(r.median_price_minor),
          p25_price: major(r.p25_price_minor),
          p75_price: major(r.p75_price_minor),
          avg_price: major(r.avg_price_minor),
          median_price_per_sqm: round(pricePerSqmMajor(r.median_price_per_sqm, r.currency), 2),
          median_days_on_market: round(r.median_days_on_market, 1),
          new_listings: r.new_listings,
          price_drops: r.price_drops,
        };
      }),
    },
  };
}
