/**
 * What every connector produces: one listing as an ingest item. It is checked with the Mill's own
 * `IngestItemSchema` (contract/ingest/schema.ts) before it leaves the process, and the Mill
 * validates it again on arrival (everything scraped is untrusted). There is no second schema here.
 *
 * The type is ingest's *input* type (`z.input`), narrowed to what connectors promise: they have
 * already mapped the source's words to Pillow's vocabulary and parsed numbers, so their items carry
 * the enums of contract/vocabulary.ts and plain numbers where ingest would also take text ("$1.2m").
 * Checking never rewrites an item: the item submitted is the one the connector made.
 */
import { type IngestItemInput, IngestItemSchema } from "./ingest/schema";
import type { ListingType, PropertyType, Status } from "./vocabulary";

export { LISTING_TYPES, type ListingType, PROPERTY_TYPES, type PropertyType, STATUSES } from "./vocabulary";
export { IngestItemSchema };
export type ListingStatus = Status;

/** Ingest's input, with the fields connectors always give and the values they have already parsed. */
export type IngestItem = IngestItemInput & {
  source: string;
  source_listing_id: string;
  source_url: string;
  property_type: PropertyType;
  listing_type: ListingType;
  status: Status;
  currency: string;
  price?: number | null;
  sold_price?: number | null;
  sold_at?: string | null;
  listed_at?: string | null;
  bedrooms?: number | null;
  bathrooms?: number | null;
  parking_spaces?: number | null;
  area_living_sqm?: number | null;
  area_land_sqm?: number | null;
  year_built?: number | null;
  images?: string[];
  features?: string[];
  attributes?: Record<string, unknown>;
};

/** Drops null/undefined/empty values so items stay small and the Mill keeps what it already knows. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as T;
}
