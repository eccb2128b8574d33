import type { Env } from "../../../env";
import { cachedJson, cachedJsonResponse } from "../../../pkg/cache";
import { afterResponse } from "../../../pkg/hono/after-response";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { pricePerSqmMajor, toMajor } from "../../../pkg/search/money";
import { type Filters, normaliseQuery, parseFilters } from "../../../pkg/search/params";
import { AGGREGATE_SETTINGS, queryRows } from "../../../pkg/search/run";
import { ACTIVITY_WINDOW_DAYS, buildStatsQuery, type GroupBy, MAX_GROUPS } from "../../../pkg/search/stats";
import { buildRollupStatsQuery, STALE_AFTER_MS } from "../../../pkg/search/stats-rollup";
import { StatsQuerySchema, StatsResponseSchema } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["stats"],
  operationId: "stats.get",
  method: "get",
  path: "/api/v1/stats",
  summary: "Market statistics for the filtered properties",
  description:
    "Takes the search filters. Per group (and currency): count, median / quartile / average price, median price per m², " +
    "median days on market, new listings and price drops in the last 30 days. Public. A whole country grouped by city " +
    "(with at most status, listing_type and property_type besides) comes from a rollup refreshed every 10 minutes: " +
    "`as_of` says when it was computed. Every other question is computed live (`as_of` is null).",
  request: { query: StatsQuerySchema },
  responses: {
    200: {
      description: "Statistics per group",
      content: {
        "application/json": {
          schema: StatsResponseSchema,
          example: {
            success: true,
            data: {
              group_by: "city",
              activity_window_days: 30,
              as_of: null,
              truncated: false,
              groups: [
                {
                  key: "oakland",
                  label: "Oakland",
                  currency: "USD",
                  count: 412,
                  median_price: 615000,
                  p25_price: 480000,
                  p75_price: 810000,
                  avg_price: 668210.5,
                  median_price_per_sqm: 6120.4,
                  median_days_on_market: 41,
                  new_listings: 37,
                  price_drops: 12,
                },
              ],
            },
          },
        },
      },
    },
  },
});

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
async function fromRollup(env: Env, filters: Filters, groupBy: GroupBy): Promise<{ rows: StatsRow[]; asOf: string } | null> {
  const q = buildRollupStatsQuery(filters, groupBy);
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

export async function runStats(env: Env, filters: Filters, groupBy: GroupBy) {
  const rollup = await fromRollup(env, filters, groupBy);
  const rows =
    rollup?.rows ?? (await queryRows<StatsRow>(env, { ...buildStatsQuery(filters, groupBy), settings: AGGREGATE_SETTINGS }));
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

export function registerStatsGet(app: App) {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const filters = parseFilters(query);
    const cached = await cachedJson(c.env, { namespace: "stats", key: normaliseQuery(query), waitUntil: afterResponse(c) }, () =>
      runStats(c.env, filters, query.group_by),
    );
    return cachedJsonResponse(c, cached);
  });
}
