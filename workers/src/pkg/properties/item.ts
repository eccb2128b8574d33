/** Database rows → the API's property item (prices from minor to whole units, address and location nested). */
import { pricePerSqmMajor, toMajor } from "../search/money";
import { FACT_COLUMNS, type ItemColumn, type RowOf, type SqlName, sqlName } from "./columns";
import { type LocationPrecision, locationOf } from "./location";
import type { Property } from "./schema";

/** A list item's row as the read queries return it: its columns, the primary source's URL, the distance with `near`. */
export type ItemRow = RowOf<ItemColumn> & { source_url: string | null; _distance_m?: number | string | null };

export const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const nullableRound = (n: number | null, digits: number) => (n === null ? null : round(n, digits));

function fullAddress(r: ItemRow): string | null {
  if (r.address_full) return r.address_full;
  const street = [r.unit, r.street].filter(Boolean).join(" ");
  const parts = [street, r.city, [r.state, r.postal_code].filter(Boolean).join(" "), r.country].filter(Boolean);
  return parts.length > 1 ? parts.join(", ") : null;
}

type FactFields = Pick<ItemRow, SqlName<(typeof FACT_COLUMNS)[number]>>;

/** The measured facts pass through as they are: their API names are their column names. */
function factsOf(r: ItemRow): FactFields {
  return Object.fromEntries(FACT_COLUMNS.map((k) => [sqlName(k), r[sqlName(k)]])) as FactFields;
}

export function toPropertyItem(r: ItemRow): Property {
  const item: Property = {
    id: r.id,
    title: r.title,
    property_type: r.property_type,
    listing_type: r.listing_type,
    status: r.status,
    price: toMajor(r.price_minor, r.currency),
    currency: r.currency.trim(),
    price_per_sqm: nullableRound(pricePerSqmMajor(r.price_per_sqm, r.currency), 2),
    ...factsOf(r),
    address: {
      street: r.street,
      unit: r.unit,
      city: r.city,
      state: r.state,
      postal_code: r.postal_code,
      country: r.country.trim(),
      full: fullAddress(r),
    },
    // Ingest writes only LOCATION_PRECISIONS into the column (pkg/ingest/precision.ts).
    location: locationOf(r.lat, r.lng, r.location_precision as LocationPrecision | null),
    listed_at: iso(r.listed_at),
    updated_at: iso(r.updated_at),
    thumbnail_url: r.thumbnail_url,
    source: { name: r.primary_source, url: r.source_url },
    quality_score: r.quality_score,
  };
  if (r._distance_m !== undefined && r._distance_m !== null) item.distance_km = round(Number(r._distance_m) / 1000, 3);
  return item;
}

export function pickFields(item: Property, fields: string[] | undefined): Partial<Property> {
  if (!fields) return item;
  return Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f as keyof Property]]));
}
