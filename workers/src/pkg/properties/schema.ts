/**
 * The property as every read returns it (search items, live updates, the detail), declared once with
 * zod: the runtime validation, the OpenAPI document and the site's types (`site/src/lib/api.ts`) all
 * come from these. Names are the API's names everywhere: the site, the docs and the SDKs use exactly these.
 */
import { z } from "@hono/zod-openapi";
import { FACT_COLUMNS, FACTS, type FactColumn, type SqlName, sqlName } from "./columns";
import { LocationSchema } from "./location";

const nullableNumber = (description: string, example: number | null) => z.number().nullable().openapi({ description, example });

/** The measured facts (columns.ts `FACTS`), each a nullable number named as its column. */
const factFields = Object.fromEntries(
  FACT_COLUMNS.map((k) => [sqlName(k), nullableNumber(FACTS[k].description, FACTS[k].example)]),
) as { [K in FactColumn as SqlName<K>]: ReturnType<typeof nullableNumber> };

export const AddressSchema = z
  .object({
    street: z.string().nullable(),
    unit: z.string().nullable(),
    city: z.string().nullable(),
    state: z.string().nullable(),
    postal_code: z.string().nullable(),
    country: z.string().openapi({ description: "ISO 3166-1 alpha-2", example: "US" }),
    full: z.string().nullable().openapi({ description: "One-line address", example: "1200 Broadway, Oakland, CA 94612, US" }),
  })
  .openapi("Address");

export const PropertySchema = z
  .object({
    id: z.string().uuid().openapi({ example: "0b8f7c2e-3c1d-4a51-9d0e-4f5b6a7c8d9e" }),
    title: z.string().nullable().openapi({ example: "Bright 2-bed apartment near Lake Merritt" }),
    property_type: z.string().openapi({ example: "apartment" }),
    listing_type: z.string().openapi({ description: "`sale` or `rent`", example: "sale" }),
    status: z.string().openapi({ example: "active" }),
    price: nullableNumber("Price in whole currency units (monthly rent for rentals)", 545000),
    currency: z.string().openapi({ description: "ISO 4217", example: "USD" }),
    price_per_sqm: nullableNumber("Price per m² of living area, whole currency units", 6550.5),
    ...factFields,
    address: AddressSchema,
    location: LocationSchema.nullable().openapi({
      description: "WGS84; null when not located. `approximate` positions are drawn hollow on the site's maps",
      example: { lat: 37.8044, lng: -122.2712, precision: "source", approximate: false },
    }),
    listed_at: z.string().openapi({ format: "date-time", example: "2026-10-02T09:30:00.000Z" }),
    updated_at: z.string().openapi({ format: "date-time", example: "2026-11-20T14:05:12.000Z" }),
    thumbnail_url: z.string().nullable().openapi({ example: "https://images.example.com/abc/1.jpg" }),
    source: z
      .object({ name: z.string(), url: z.string().nullable() })
      .openapi({ description: "Where the listing came from (its primary source)", example: { name: "oakland-mls", url: null } }),
    quality_score: z.number().openapi({ description: "0–1: completeness and agreement of the merged record", example: 0.82 }),
    distance_km: z.number().optional().openapi({
      description: "Only with `near`: great-circle distance, km (to an approximate point when `location.approximate`)",
      example: 1.284,
    }),
  })
  .openapi("Property");

export type Property = z.infer<typeof PropertySchema>;
export const PROPERTY_FIELDS = Object.keys(PropertySchema.shape) as Array<keyof Property>;

export const ImageSchema = z
  .object({ url: z.string(), position: z.number().int(), source: z.string().nullable() })
  .openapi("Image");

export const SourceListingSchema = z
  .object({
    name: z.string(),
    listing_id: z.string(),
    url: z.string(),
    first_seen_at: z.string(),
    last_seen_at: z.string(),
    status: z
      .string()
      .nullable()
      .openapi({ description: "The status this source reported last (the property's own status is derived from all of them)" }),
  })
  .openapi("SourceListing");

export const HistoryEventSchema = z
  .object({
    type: z.string().openapi({
      description: "listed | price_change | status_change | sold | relisted | withdrawn | …",
      example: "price_change",
    }),
    old: z.unknown().nullable(),
    new: z.unknown().nullable(),
    source: z.string().nullable().openapi({ description: "The source that reported it" }),
    occurred_at: z.string().openapi({
      description:
        "When it happened at the source (a sale's date, a listing's date); when it was observed if the source gives no date",
    }),
    observed_at: z.string().openapi({ description: "When Pillow received the report" }),
    at: z.string().openapi({ description: "The same as `occurred_at` (kept for clients written before it)" }),
  })
  .openapi("HistoryEvent");

export const PropertyDetailSchema = PropertySchema.extend({
  description: z.string().nullable(),
  features: z.array(z.string()),
  images: z.array(ImageSchema),
  sources: z.array(SourceListingSchema),
  attributes: z.record(z.string(), z.unknown()),
  history: z.array(HistoryEventSchema),
}).openapi("PropertyDetail");

export type PropertyDetail = z.infer<typeof PropertyDetailSchema>;
