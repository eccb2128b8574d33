/**
 * The measures of a property: the nullable numeric columns of `properties` (db/schema.ts) other than
 * prices (bedrooms, bathrooms, parking spaces, areas, the year built). They share one path: a listing
 * carries each as its source gave it, and a merge keeps the stored value unless the listing has one.
 * Derived from the table, so a new such column travels through ingest without a list to edit.
 */
import { getTableColumns } from "drizzle-orm";
import { properties } from "../../../db/schema";

type PropertyColumns = Required<typeof properties.$inferInsert>;

/** Nullable numeric columns (generated ones are not in drizzle's insert type). */
type NullableNumberKey = {
  [K in keyof PropertyColumns]-?: null extends PropertyColumns[K]
    ? NonNullable<PropertyColumns[K]> extends number
      ? K
      : never
    : never;
}[keyof PropertyColumns];

/** Prices are in minor units of a currency and have rules of their own (listing.ts, merge.ts). */
type PriceKey = "priceMinor" | "soldPriceMinor";
export type MeasureKey = Exclude<NullableNumberKey, PriceKey>;
export type Measures = { [K in MeasureKey]: number | null };
export type Prices = { [K in PriceKey]: number | null };

const NUMERIC = new Set(["PgSmallInt", "PgInteger", "PgReal", "PgDoublePrecision", "PgNumeric"]);

/** Each measure: its record key and its column (also the ingest item's field). */
export const MEASURES: ReadonlyArray<{ key: MeasureKey; name: string }> = Object.entries(getTableColumns(properties))
  .filter(([, c]) => !c.notNull && NUMERIC.has(c.columnType) && !(c as { generated?: unknown }).generated)
  .map(([key, c]) => ({ key: key as MeasureKey, name: c.name }));

/** The measures of an object keyed by `key` of each (a listing, a record): copied as they are. */
export function measuresOf(from: Measures): Measures {
  const out = {} as Measures;
  for (const m of MEASURES) out[m.key] = from[m.key];
  return out;
}
