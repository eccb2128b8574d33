import { cachedJson, cachedJsonResponse } from "../../../pkg/cache";
import { afterResponse } from "../../../pkg/hono/after-response";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { normaliseQuery } from "../../../pkg/search/params";
import { SearchQuerySchema } from "../../../pkg/search/schema";
import { parseSearchQuery, runSearch } from "../../../pkg/search/search";
import { SearchResponseSchema } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["properties"],
  operationId: "properties.search",
  method: "get",
  path: "/api/v1/properties",
  summary: "Search properties",
  description:
    "Filters combine with AND; list values are comma-separated and match any of them. Prices are whole currency units. " +
    "Page with `cursor` (keyset, stable while rows are added) or `offset` (offset + limit ≤ 10,000). Public.",
  request: { query: SearchQuerySchema },
  responses: {
    200: {
      description: "A page of properties",
      content: {
        "application/json": {
          schema: SearchResponseSchema,
          example: {
            success: true,
            data: [
              {
                id: "0b8f7c2e-3c1d-4a51-9d0e-4f5b6a7c8d9e",
                title: "Bright 2-bed apartment near Lake Merritt",
                property_type: "apartment",
                price: 545000,
                currency: "USD",
              },
            ],
            pagination: { limit: 50, next_cursor: "eyJ2IjoxLCJzIjoiLWxpc3RlZF9hdCIsLi4ufQ", total: 132 },
          },
        },
      },
    },
  },
});

export function registerPropertiesSearch(app: App) {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const req = parseSearchQuery(query);
    const cached = await cachedJson(c.env, { namespace: "search", key: normaliseQuery(query), waitUntil: afterResponse(c) }, () =>
      runSearch(c.env, req),
    );
    return cachedJsonResponse(c, cached);
  });
}
