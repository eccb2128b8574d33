/**
 * Filters → SQL conditions on `properties p`. Written so each one can use its index:
 * single values compare with `=` (an `= ANY` on a leading index column would lose the index order a
 * sort walks), city goes through the generated `city_key` with the same `lower(f_unaccent(…))` as
 * the column (docs/query-design.md "P8"), full text through the GIN index, features through `@>` on their GIN index.
 */
import { toMinorUnits } from "../money/minor-units";
import { FACT_FILTERS, sqlName } from "../properties/columns";
import { geoConditions } from "./geo";
import type { Filters } from "./params";
import type { SqlParams } from "./sql";

function oneOf(p: SqlParams, column: string, values: string[], elementType = "text"): string {
  if (values.length === 1) return `${column} = ${p.add(values[0], elementType)}`;
  return `${column} = ANY(${p.add(values, `${elementType}[]`)})`;
}

export function tsQuery(p: SqlParams, q: string): string {
  return `plainto_tsquery('simple', f_unaccent(${p.add(q, "text")}))`;
}

/**
 * A price bound in whole units → minor units of the search's price currency (`currency`, else the one
 * country's currency), so the bound stays an index range on `price_minor`; with neither, two-digit
 * minor units (cents), as most currencies have.
 */
/** A price bound in minor units: of the search's price currency, else of a two-decimal currency. */
export function priceBoundMinor(major: number, currency: string | undefined): number {
  return currency ? toMinorUnits(major, currency) : Math.round(major * 100);
}

function minorAmount(p: SqlParams, major: number, currency: string | undefined): string {
  return p.add(priceBoundMinor(major, currency), "bigint");
}

export function filterConditions(p: SqlParams, f: Filters): string[] {
  const c: Array<string | undefined> = [];
  c.push(oneOf(p, "p.status", f.statuses));
  if (f.listingTypes) c.push(oneOf(p, "p.listing_type", f.listingTypes));
  if (f.propertyTypes) c.push(oneOf(p, "p.property_type", f.propertyTypes));
  if (f.countries) c.push(oneOf(p, "p.country", f.countries, "bpchar"));
  if (f.cities) {
    const keys = f.cities.map((city) => `lower(f_unaccent(${p.add(city, "text")}))`);
    c.push(keys.length === 1 ? `p.city_key = ${keys[0]}` : `p.city_key IN (${keys.join(", ")})`);
  }
  if (f.states) c.push(`lower(p.state) = ANY(${p.add(f.states, "text[]")})`);
  if (f.postalCodes) c.push(`upper(p.postal_code) = ANY(${p.add(f.postalCodes, "text[]")})`);
  if (f.currency) c.push(`p.currency = ${p.add(f.currency, "bpchar")}`);
  if (f.minPrice !== undefined) c.push(`p.price_minor >= ${minorAmount(p, f.minPrice, f.priceCurrency)}`);
  if (f.maxPrice !== undefined) c.push(`p.price_minor <= ${minorAmount(p, f.maxPrice, f.priceCurrency)}`);
  for (const r of FACT_FILTERS) {
    const value = f.facts?.[r.param];
    if (value !== undefined) c.push(`p.${sqlName(r.column)} ${r.op} ${p.add(value, r.cast)}`);
  }
  if (f.features) c.push(`p.features @> ${p.add(f.features, "text[]")}`);
  if (f.sources) {
    c.push(
      `EXISTS (SELECT 1 FROM property_sources s WHERE s.property_id = p.id AND s.source = ANY(${p.add(f.sources, "text[]")}))`,
    );
  }
  if (f.q) c.push(`p.search_tsv @@ ${tsQuery(p, f.q)}`);
  if (f.listedSince) c.push(`p.listed_at >= ${p.add(f.listedSince, "timestamptz")}`);
  if (f.updatedSince) c.push(`p.updated_at >= ${p.add(f.updatedSince, "timestamptz")}`);
  c.push(...geoConditions(p, f.geo));
  return c.filter((x): x is string => Boolean(x));
}
