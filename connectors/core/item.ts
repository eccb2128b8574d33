/**
 * What every connector produces: one listing, normalised to the Mill's ingest item. The Mill validates
 * it again with the ingest pipeline's `IngestItemSchema` (everything scraped is untrusted); this schema
 * lets connectors and the CLI check their output before it leaves the process.
 *
 * Why this is not ingest's `IngestItemSchema` (workers/src/pkg/ingest/schema.ts): that schema is an
 * *input* schema — it accepts the sources' own spellings ("$1.2m", "1,200 sq ft", "Under Offer",
 * numeric strings) and its output is the normalised, different shape (`z.output` ≠ `z.input`), while
 * `checkItem` (core/run.ts) and the dataset importer (datasets/importer.ts) return the parsed value as
 * the item they submit and type their code on it. Connectors promise the *strict, already normalised*
 * shape below, which is a subset of what ingest accepts (ingest also takes more vocabulary, and keeps
 * the first `MAX_IMAGES` = 50 of up to 100 images). Switching means checking with ingest's schema but
 * submitting the original item, and typing connectors on `IngestItemInput`; not done yet.
 */
import { z } from "zod";

export const PROPERTY_TYPES = [
  "house",
  "apartment",
  "condo",
  "townhouse",
  "multi_family",
  "commercial",
  "land",
  "other",
] as const;
export const LISTING_TYPES = ["sale", "rent"] as const;
export const STATUSES = ["active", "pending", "sold", "leased", "withdrawn", "off_market"] as const;

export const IngestAddressSchema = z.object({
  street: z.string().max(300).nullish(),
  unit: z.string().max(50).nullish(),
  city: z.string().max(120).nullish(),
  state: z.string().max(120).nullish(),
  postal_code: z.string().max(20).nullish(),
  country: z.string().length(2),
});

export const IngestItemSchema = z.object({
  source: z.string().min(1).max(100),
  source_listing_id: z.string().min(1).max(200),
  source_url: z.url(),
  property_type: z.enum(PROPERTY_TYPES),
  /** The source's own type word ("Apartment / Unit / Flat", "Villa"), kept next to the mapped type. */
  property_subtype: z.string().max(100).nullish(),
  listing_type: z.enum(LISTING_TYPES),
  status: z.enum(STATUSES),
  title: z.string().max(500).nullish(),
  description: z.string().max(20_000).nullish(),
  price: z.number().nonnegative().nullish(),
  currency: z.string().length(3),
  bedrooms: z.number().int().min(0).max(100).nullish(),
  bathrooms: z.number().min(0).max(100).nullish(),
  parking_spaces: z.number().int().min(0).max(1000).nullish(),
  area_living_sqm: z.number().positive().nullish(),
  area_land_sqm: z.number().positive().nullish(),
  year_built: z.number().int().min(1000).max(2100).nullish(),
  address: IngestAddressSchema,
  location: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).nullish(),
  listed_at: z.iso.datetime({ offset: true }).nullish(),
  sold_price: z.number().nonnegative().nullish(),
  sold_at: z.iso.datetime({ offset: true }).nullish(),
  images: z.array(z.url()).max(100).optional(),
  features: z.array(z.string().max(200)).max(200).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

export type IngestItem = z.infer<typeof IngestItemSchema>;
export type PropertyType = (typeof PROPERTY_TYPES)[number];
export type ListingType = (typeof LISTING_TYPES)[number];
export type ListingStatus = (typeof STATUSES)[number];

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
