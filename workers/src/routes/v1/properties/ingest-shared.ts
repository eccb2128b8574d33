/** What the ingest routes (create, batch) share: body limits and the response shapes. */
import { z } from "@hono/zod-openapi";

export const MAX_BATCH_ITEMS = 500;
/** Batch bodies up to 5 MB (the app-wide cap is raised for this route), single items up to 1 MB. */
export const MAX_BATCH_BODY_BYTES = 5 * 1024 * 1024;
export const MAX_ITEM_BODY_BYTES = 1024 * 1024;

export const IngestOutcomeSchema = z.enum(["created", "merged", "unchanged", "invalid"]).openapi({
  description: "created: a new property; merged: folded into an existing one; unchanged: nothing new; invalid: rejected",
});

export const FieldErrorSchema = z
  .object({ path: z.string().openapi({ example: "location.lat" }), message: z.string() })
  .openapi("FieldError");

export const IdempotencyHeaderSchema = z.object({
  "idempotency-key": z.string().optional().openapi({
    description:
      "Makes the request safe to retry: the first response is stored for 24 h and replayed (header `Idempotent-Replayed: true`); the same key with a different body is 422.",
    example: "5f0c7a2e-3f7e-4d8e-9a53-1f2b8c9d0e11",
  }),
});

const NearCandidateWarning = z.object({
  code: z.literal("near_candidate"),
  property_id: z.uuid().openapi({ description: "A stored property this listing may describe" }),
  reason: z.enum(["other_unit", "other_street_type", "ambiguous"]).openapi({
    description:
      "Why it was not merged: it has another unit, another street type (St vs Ct), or more than one stored property matched",
  }),
});

const LocationOutsideCountryWarning = z.object({
  code: z.literal("location_outside_country"),
  country: z.string().openapi({ example: "GB" }),
  lat: z.number(),
  lng: z.number(),
  action: z.literal("dropped_queued_for_geocoding").openapi({
    description: "The point was not stored; the address is geocoded by the next enrichment run",
  }),
});

const CurrencyCountryMismatchWarning = z.object({
  code: z.literal("currency_country_mismatch"),
  country: z.string().openapi({ example: "CA" }),
  currency: z.string().openapi({ description: "The currency the source stated", example: "USD" }),
  expected: z.string().openapi({ description: "The currency of the listing's country", example: "CAD" }),
  action: z.literal("price_withheld").openapi({
    description: "Not stored as the price; the source's amounts and currency are kept in `attributes.withheld_price`",
  }),
});

const ImplausiblePriceWarning = z.object({
  code: z.literal("implausible_price"),
  field: z.enum(["price", "sold_price"]),
  value: z.number().openapi({ description: "Major units (per month for a rent)" }),
  currency: z.string(),
  range: z.tuple([z.number(), z.number()]).openapi({ description: "The sane range for the currency and listing type" }),
});

export const IngestWarningSchema = z
  .discriminatedUnion("code", [
    NearCandidateWarning,
    LocationOutsideCountryWarning,
    CurrencyCountryMismatchWarning,
    ImplausiblePriceWarning,
  ])
  .openapi("IngestWarning", {
    description:
      "near_candidate: created as a new property, not merged (see the ingest docs); location_outside_country: the coordinates lie outside the listing's country and were dropped; currency_country_mismatch: a price in another currency than the country's, which the source's own price text does not name, was withheld; implausible_price: stored, but outside the sane range for its currency and listing type.",
  });
