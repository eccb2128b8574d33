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
import { type IngestItemInput, IngestItemSchema, type IngestItem as ParsedItem } from "./ingest/schema";
import type { ListingType, PropertyType, Status } from "./vocabulary";

export { LISTING_TYPES, type ListingType, PROPERTY_TYPES, type PropertyType, STATUSES } from "./vocabulary";
export { IngestItemSchema };
export type ListingStatus = Status;

/** The schema's named fields, without the loose object's index signature (which would swallow them). */
type Named<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
type Input = Named<IngestItemInput>;
type Parsed = Named<ParsedItem>;

/**
 * The fields ingest parses into numbers (prices, counts, areas, the year), read off the schema's output
 * so a new numeric field is narrowed here without being named. `source_listing_id` is left out: ingest
 * also takes it as a number, but turns it into text.
 */
type NumberField = {
  [K in keyof Parsed]-?: NonNullable<Parsed[K]> extends number ? K : never;
}[keyof Parsed];

/** Ingest's input, with the fields connectors always give and the values they have already parsed. */
export type IngestItem = Omit<Input, NumberField> &
  Partial<Pick<Parsed, NumberField>> & {
    source: string;
    source_listing_id: string;
    source_url: string;
    property_type: PropertyType;
    listing_type: ListingType;
    status: Status;
    currency: string;
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
