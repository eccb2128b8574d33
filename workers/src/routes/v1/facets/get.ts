import type { Env } from "../../../env";
import { cachedJson, cachedJsonResponse } from "../../../pkg/cache";
import { afterResponse } from "../../../pkg/hono/after-response";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { buildFacetsQuery, FACET_FIELDS, type FacetField } from "../../../pkg/search/facets";
import { invalid } from "../../../pkg/search/invalid";
import { type Filters, normaliseQuery, parseFilters } from "../../../pkg/search/params";
import { AGGREGATE_SETTINGS, queryRows } from "../../../pkg/search/run";
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

export function parseFacetFields(value: string): FacetField[] {
  const fields = [...new Set(value.split(","))];
  const unknown = fields.filter((f) => !(FACET_FIELDS as string[]).includes(f));
  if (unknown.length > 0) throw invalid("fields", `unknown facet ${unknown.join(", ")}; facets are ${FACET_FIELDS.join(", ")}`);
  return fields as FacetField[];
}

export async function runFacets(env: Env, filters: Filters, fields: FacetField[], limit: number) {
  const rows = await queryRows<{ field: FacetField; value: string; label: string; count: number }>(env, {
    ...buildFacetsQuery(filters, fields, limit),
    settings: AGGREGATE_SETTINGS,
  });
  const data: Record<string, Array<{ value: string; label: string; count: number }>> = Object.fromEntries(
    fields.map((f) => [f, []]),
  );
  for (const r of rows) data[r.field]?.push({ value: String(r.value).trim(), label: String(r.label).trim(), count: r.count });
  return { success: true as const, data };
}

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
