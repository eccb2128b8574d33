/**
 * Facets (GET /api/v1/facets): the distinct values of the asked fields with their counts among the
 * filtered properties, one aggregate query (facets.ts) for all fields.
 */
import type { Env } from "../../env";
import { buildFacetsQuery, FACET_FIELDS, type FacetField } from "./facets";
import { invalid } from "./invalid";
import type { Filters } from "./params";
import { AGGREGATE_SETTINGS, queryRows } from "./run";

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
