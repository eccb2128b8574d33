/**
 * The property's columns as the read paths select them, derived from the drizzle table in
 * `db/schema.ts`: SQL names and row types come from the schema, so a column renamed or retyped there
 * is a compile error here and in every reader, never a string that silently stops matching.
 *
 * Reads are raw SQL (`pkg/search/sql.ts` explains why), so a selection is written out as a column
 * list (`p.id, p.title, …`) from these definitions; the rows come back keyed by SQL name.
 */
import { getTableColumns } from "drizzle-orm";
import { properties } from "../../../../db/schema.ts";
import { AREA_BOUNDS, BATHROOM_BOUNDS, BEDROOM_BOUNDS, type NumberBounds, YEAR_BOUNDS } from "../validation/bounded.ts";

const columns = getTableColumns(properties);
type Columns = typeof columns;

/** A column of `properties` by its drizzle (camelCase) key. */
export type ColumnKey = keyof Columns;

/** The SQL name of a column, e.g. `year_built` for `yearBuilt`. */
export type SqlName<K extends ColumnKey> = Columns[K]["_"]["name"];

/**
 * A value as the database driver returns it in a raw row: int8 (`bigint`) as text, timestamps as
 * dates or ISO text; null where the column allows it.
 */
type Wire<K extends ColumnKey> =
  | (Columns[K]["_"]["columnType"] extends "PgBigInt53"
      ? string | number
      : Columns[K]["_"]["data"] extends Date
        ? Date | string
        : Columns[K]["_"]["data"])
  | (Columns[K]["_"]["notNull"] extends true ? never : null);

/** A raw row holding the given columns, keyed by their SQL names. */
export type RowOf<K extends ColumnKey> = { [P in K as SqlName<P>]: Wire<P> };

/** A search filter on a fact: its query parameter, which bound it sets, its bounds and documentation. */
export type FactFilter = { param: string; op: ">=" | "<="; bounds: NumberBounds; description: string; example: number };

/** A fact's API documentation, its SQL type (parameters are cast to it) and the filters search offers on it. */
export type FactSpec = { description: string; example: number | null; cast: "smallint" | "real"; filters: readonly FactFilter[] };

function fact<const F extends readonly FactFilter[]>(
  description: string,
  example: number | null,
  cast: FactSpec["cast"],
  filters: F,
) {
  return { description, example, cast, filters };
}

/** A lower bound on a fact (`min_…`): rows whose fact is unknown never match. */
function atLeast<const P extends string>(param: P, bounds: NumberBounds, example: number, description: string) {
  return { param, op: ">=" as const, bounds, example, description };
}

/** An upper bound on a fact (`max_…`). */
function atMost<const P extends string>(param: P, bounds: NumberBounds, example: number, description: string) {
  return { param, op: "<=" as const, bounds, example, description };
}

/**
 * The property's measured facts: numbers, null when the sources do not say. Each is a column (by its
 * drizzle key), an API item field named as the column (`PropertySchema`), the range filters of search,
 * stats, facets and tiles (`filterQueryShape`, `filterConditions`), and a field of the bench's listings.
 * A new nullable numeric field is one entry here (docs/guides/adding-a-field.md).
 */
export const FACTS = {
  bedrooms: fact("Unknown is null", 2, "smallint", [
    atLeast("min_bedrooms", BEDROOM_BOUNDS, 2, "At least this many bedrooms (listings with unknown bedrooms are excluded)."),
    atMost("max_bedrooms", BEDROOM_BOUNDS, 4, "At most this many bedrooms."),
  ]),
  bathrooms: fact("Unknown is null", 1.5, "real", [
    atLeast("min_bathrooms", BATHROOM_BOUNDS, 1.5, "At least this many bathrooms."),
  ]),
  parkingSpaces: fact("Unknown is null", 1, "smallint", []),
  areaLivingSqm: fact("Living area, m²", 83.2, "real", [
    atLeast("min_area", AREA_BOUNDS, 50, "Living area at least, m²."),
    atMost("max_area", AREA_BOUNDS, 200, "Living area at most, m²."),
  ]),
  areaLandSqm: fact("Land area, m²", null, "real", [atLeast("min_land_area", AREA_BOUNDS, 400, "Land area at least, m².")]),
  yearBuilt: fact("Year of construction", 1998, "smallint", [
    atLeast("year_built_min", YEAR_BOUNDS, 1950, "Built in or after this year."),
    atMost("year_built_max", YEAR_BOUNDS, 2020, "Built in or before this year."),
  ]),
} satisfies { [K in ColumnKey]?: FactSpec };

export type FactColumn = keyof typeof FACTS;

/** The facts' columns, in the order the API lists them. */
export const FACT_COLUMNS = Object.keys(FACTS) as FactColumn[];

/** A fact filter's query parameter (`min_bedrooms`, `year_built_max`, …). */
export type FactFilterParam = (typeof FACTS)[FactColumn]["filters"][number]["param"];

/** Every fact filter with its column, in the order the API documents them. */
export const FACT_FILTERS = FACT_COLUMNS.flatMap((column) =>
  FACTS[column].filters.map((f: FactFilter) => ({ ...f, param: f.param as FactFilterParam, column, cast: FACTS[column].cast })),
);

/** The facts by drizzle key (`yearBuilt: number | null`), as a generator or a parser holds them. */
export type PropertyFacts = Pick<typeof properties.$inferSelect, (typeof FACT_COLUMNS)[number]>;

/**
 * The columns of a list item (the search card, a live update): no description, attributes or
 * tsvector, which are large. Adding a field to the API item starts here.
 */
export const ITEM_COLUMNS = [
  ...["id", "title", "propertyType", "listingType", "status", "priceMinor", "currency", "pricePerSqm"],
  ...FACT_COLUMNS,
  ...["street", "unit", "city", "state", "postalCode", "country", "addressFull", "lat", "lng", "locationPrecision"],
  ...["listedAt", "updatedAt", "thumbnailUrl", "primarySource", "qualityScore"],
] as const satisfies readonly ColumnKey[];

export type ItemColumn = (typeof ITEM_COLUMNS)[number];

/** What the detail adds to the item: the long text, the feature list and the source attributes. */
export const DETAIL_COLUMNS = ["description", "features", "attributes"] as const satisfies readonly ColumnKey[];

/** What the share page's link preview shows. */
export const SHARE_COLUMNS = [
  ...["title", "addressFull", "city", "propertyType", "status", "priceMinor", "currency"],
  ...["bedrooms", "bathrooms", "areaLivingSqm", "thumbnailUrl"],
] as const satisfies readonly ColumnKey[];

/** The SQL name of one column. */
export function sqlName<K extends ColumnKey>(key: K): SqlName<K> {
  return columns[key].name as SqlName<K>;
}

/** A select list of the columns, each qualified by the table alias (`p.id, p.title, …`); no alias: bare names. */
export function selectList(keys: readonly ColumnKey[], alias?: string): string {
  return keys.map((k) => (alias ? `${alias}.${sqlName(k)}` : sqlName(k))).join(", ");
}

/** The list item's select list on `properties p`. */
export const ITEM_SELECT = selectList(ITEM_COLUMNS, "p");

/**
 * The latest URL of the row's primary source (the `source.url` of an item), as a scalar subquery on
 * `properties <alias>`; served index-only by `property_sources_property_source_seen_idx`.
 */
export function primarySourceUrl(alias: string): string {
  return `(SELECT s.source_url FROM property_sources s WHERE s.property_id = ${alias}.id AND s.source = ${alias}.primary_source
    ORDER BY s.last_seen_at DESC LIMIT 1)`;
}

/** The facts of any record that holds them (and more), e.g. a data set's row for the bench. */
export function pickFacts(record: PropertyFacts): PropertyFacts {
  return Object.fromEntries(FACT_COLUMNS.map((k) => [k, record[k]])) as PropertyFacts;
}

/** Facts none of which is known. */
export function unknownFacts(): PropertyFacts {
  return Object.fromEntries(FACT_COLUMNS.map((k) => [k, null])) as PropertyFacts;
}

/** The facts under their SQL names (`year_built`), which are also their names in the API and in ingest items. */
export type FactsBySqlName = { [K in (typeof FACT_COLUMNS)[number] as SqlName<K>]: PropertyFacts[K] };

export function factsBySqlName(facts: PropertyFacts): FactsBySqlName {
  return Object.fromEntries(FACT_COLUMNS.map((k) => [sqlName(k), facts[k]])) as FactsBySqlName;
}
