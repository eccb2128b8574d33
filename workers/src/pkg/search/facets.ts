/**
 * Facets: for each requested field, its most common values among the filtered properties, with
 * counts, for filter UIs. All filters apply, including one on the faceted field itself. One
 * statement: a UNION ALL of one small GROUP BY per field.
 */
import { filterConditions } from "./filters";
import type { Filters } from "./params";
import { and, SqlParams, type SqlQuery } from "./sql";

/** Field → how to read its value(s) from `properties p` (and the label shown for it). */
const FACETS = {
  property_type: { from: "", key: "p.property_type", label: "p.property_type" },
  listing_type: { from: "", key: "p.listing_type", label: "p.listing_type" },
  status: { from: "", key: "p.status", label: "p.status" },
  city: { from: "", key: "p.city_key", label: "min(p.city)" },
  state: { from: "", key: "p.state", label: "min(p.state)" },
  postal_code: { from: "", key: "p.postal_code", label: "p.postal_code" },
  country: { from: "", key: "p.country::text", label: "p.country::text" },
  source: { from: "", key: "p.primary_source", label: "p.primary_source" },
  bedrooms: { from: "", key: "p.bedrooms::text", label: "p.bedrooms::text" },
  features: { from: ", unnest(p.features) AS f(feature)", key: "f.feature", label: "f.feature" },
} as const;

export type FacetField = keyof typeof FACETS;
export const FACET_FIELDS = Object.keys(FACETS) as FacetField[];

export function buildFacetsQuery(filters: Filters, fields: FacetField[], limit: number): SqlQuery {
  const p = new SqlParams();
  const parts = fields.map((field) => {
    const f = FACETS[field];
    const where = and(filterConditions(p, filters));
    return `(SELECT '${field}' AS field, ${f.key} AS value, ${f.label} AS label, count(*)::int AS count
      FROM properties p${f.from} WHERE ${where} AND ${f.key} IS NOT NULL
      GROUP BY ${f.key} ORDER BY count(*) DESC, ${f.key} LIMIT ${limit})`;
  });
  return { text: parts.join("\nUNION ALL\n"), values: p.values };
}
