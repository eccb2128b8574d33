import { cachedJson, cachedJsonResponse } from "../../../pkg/cache";
import { afterResponse } from "../../../pkg/hono/after-response";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { normaliseQuery, parseFilters } from "../../../pkg/search/params";
import { parseFacetFields, runFacets } from "../../../pkg/search/run-facets";
import { FacetsQuerySchema, FacetsResponseSchema } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["facets"],
  operationId: "facets.get",
  method: "get",
  path: "/api/v1/facets",
  summary: "Distinct values with counts, for filter UIs",
  description: "Takes the search filters; all of them apply. Public.",
  request: { query: FacetsQuerySchema },
  responses: {
    200: { description: "Values per field", content: { "application/json": { schema: FacetsResponseSchema } } },
  },
});

export function registerFacetsGet(app: App) {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const fields = parseFacetFields(query.fields);
    const filters = parseFilters(query);
    const cached = await cachedJson(c.env, { namespace: "facets", key: normaliseQuery(query), waitUntil: afterResponse(c) }, () =>
      runFacets(c.env, filters, fields, query.limit),
    );
    return cachedJsonResponse(c, cached);
  });
}
