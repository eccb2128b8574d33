import { cachedJson, cachedJsonResponse } from "../../../pkg/cache";
import { afterResponse } from "../../../pkg/hono/after-response";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { normaliseQuery, parseFilters } from "../../../pkg/search/params";
import { runStats } from "../../../pkg/search/run-stats";
import { StatsQuerySchema, StatsResponseSchema } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["stats"],
  operationId: "stats.get",
  method: "get",
  path: "/api/v1/stats",
  summary: "Market statistics for the filtered properties",
  description:
    "Takes the search filters, and `currency` to ask about one market's money. Per group (and currency): count, median / quartile / average price, median price per m², " +
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

export function registerStatsGet(app: App) {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const filters = parseFilters(query);
    const cached = await cachedJson(c.env, { namespace: "stats", key: normaliseQuery(query), waitUntil: afterResponse(c) }, () =>
      runStats(c.env, filters, query.group_by, query.currency),
    );
    return cachedJsonResponse(c, cached);
  });
}
