/**
 * The shape of one listing as it enters Pillow, whoever sends it (API clients, connectors, importers,
 * the enrichment loop). It mirrors the read API's item so what you read you can write. The schema
 * validates and parses values written in the sources' own way ("1,200 sq ft", "$1.2m", "New Zealand",
 * "Under Offer"); `normalise/` turns the result into a stored listing. Errors name the field.
 */
import { z } from "@hono/zod-openapi";
import { PRICE_QUALIFIERS, RENT_PERIODS, readPrice } from "../money/read-price";
import { REAL_RESOLUTION, timeIssue } from "../validation/bounded";
import { toCountryCode } from "./normalise/country";
import { defaultCurrency, isCurrency } from "./normalise/money";
import { cleanText, stripHtml } from "./normalise/text";
import { type AreaInput, parseArea } from "./normalise/units";
import { LISTING_TYPES, STATUSES, toListingType, toStatus } from "./normalise/vocab";

export const MAX_IMAGES = 50;
/** Clock skew tolerated for "not in the future". */
const FUTURE_SKEW_MS = 10 * 60_000;
/** A price above this is a parsing accident, not a property (major units). */
const MAX_PRICE = 100_000_000_000;
const MAX_ATTRIBUTES_BYTES = 32_768;

const optionalText = (max: number) =>
  z
    .string()
    .nullish()
    .transform((v) => (v == null ? null : cleanText(v) || null))
    .pipe(z.string().max(max).nullable());

/** Free text from HTML pages: tags stripped, entities decoded, then size-limited. */
const htmlText = (max: number) =>
  z
    .string()
    .max(max * 4)
    .nullish()
    .transform((v) => (v == null ? null : stripHtml(v) || null))
    .pipe(z.string().max(max).nullable());

/** Integers as numbers or digit strings ("3"); empty means unknown. */
const count = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^\s*\d+\s*$/, "must be a whole number")])
    .nullish()
    .transform((v) => (v == null ? null : Number(v)))
    .pipe(z.number().int().min(min).max(max).nullable());

const decimal = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^\s*\d+(\.\d+)?\s*$/, "must be a number")])
    .nullish()
    .transform((v) => (v == null ? null : Number(v)))
    .pipe(
      z
        .number()
        .min(min)
        .max(max)
        // A `real` column cannot hold a non-zero value this small (contract/validation/bounded.ts).
        .refine((v) => v === 0 || Math.abs(v) >= REAL_RESOLUTION, `must be 0 or at least ${REAL_RESOLUTION}`)
        .nullable(),
    );

const price = z
  .union([z.number(), z.string().max(50)])
  .nullish()
  .transform((v, ctx) => {
    if (v == null) return null;
    const reading = readPrice(v);
    // "Contact agent", "POA", "Auction Saturday 3pm": no amount, but a price statement (see price_qualifier).
    if (reading.amount === null && reading.qualifier !== null) return null;
    if (reading.amount === null) {
      ctx.addIssue({ code: "custom", message: `not a price: "${v}"` });
      return z.NEVER;
    }
    return reading.amount;
  })
  .pipe(z.number().min(0, "must be ≥ 0").max(MAX_PRICE, "is not a plausible price").nullable())
  .openapi({
    description:
      'Major currency units (like the search filters); a rent per calendar month. A number, or text as sites write it: "$1.2m", "1\'250\'000", "1.250.000,00 €", "$660 per week" (a rent quoted per week, day or year is converted to per month, the quote kept in `attributes.source_price`), "Contact agent" (no price)',
    example: 850000,
  });

const areaInput = z.union([z.number(), z.string().max(50), z.object({ value: z.number(), unit: z.string().max(20) })]);
const area = (max: number) =>
  areaInput
    .nullish()
    .transform((v, ctx) => {
      if (v == null) return null;
      const sqm = parseArea(v as AreaInput);
      if (sqm === undefined) {
        ctx.addIssue({ code: "custom", message: `not an area: ${JSON.stringify(v)} (use m², "sq ft", "acres" or "ha")` });
        return z.NEVER;
      }
      return sqm;
    })
    .pipe(
      z.number().min(REAL_RESOLUTION, `must be at least ${REAL_RESOLUTION} m²`).max(max, "is not a plausible area").nullable(),
    );

/** ISO 8601 date or date-time, not in the future; stored as a UTC instant. */
const pastDate = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .nullish()
  .transform((v, ctx) => {
    if (v == null) return null;
    const at = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
    const outOfRange = Number.isNaN(at.getTime()) ? "is not a valid date" : timeIssue(at.toISOString());
    if (outOfRange) {
      ctx.addIssue({ code: "custom", message: outOfRange });
      return z.NEVER;
    }
    if (at.getTime() > Date.now() + FUTURE_SKEW_MS) {
      ctx.addIssue({ code: "custom", message: "must not be in the future" });
      return z.NEVER;
    }
    return at.toISOString();
  })
  .openapi({ description: "ISO 8601 date or date-time, not in the future", example: "2026-10-01T09:00:00Z" });

const enumOf = <T extends string>(label: string, values: readonly T[], map: (v: string) => T | undefined) =>
  z
    .string()
    .max(100)
    .nullish()
    .transform((v, ctx): T | null => {
      if (v == null || cleanText(v) === "") return null;
      const value = map(v);
      if (!value) {
        ctx.addIssue({
          code: "custom",
          message: `unknown ${label} "${v}"; use one of ${values.join(", ")} (or a known synonym)`,
        });
        return z.NEVER;
      }
      return value;
    });

const httpUrl = z.httpUrl().max(2048);

export const IngestAddressSchema = z
  .looseObject({
    street: optionalText(300).openapi({ example: "Unit 4/12 Smith St" }),
    unit: optionalText(50).openapi({ description: "Unit, flat or apartment; may also be written in `street`", example: "4" }),
    city: optionalText(100).openapi({ description: "City, suburb or locality", example: "Surry Hills" }),
    state: optionalText(100).openapi({ example: "NSW" }),
    postal_code: optionalText(20).openapi({ example: "2010" }),
    country: z
      .string()
      .max(100)
      .transform((v, ctx) => {
        const code = toCountryCode(v);
        if (!code) {
          ctx.addIssue({ code: "custom", message: `unknown country "${v}"; use an ISO 3166-1 code or an English name` });
          return z.NEVER;
        }
        return code;
      })
      .openapi({ description: 'ISO 3166-1 alpha-2 code or English name ("New Zealand" → NZ)', example: "AU" }),
  })
  .openapi("IngestAddress");

export const IngestLocationSchema = z
  .object({
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    precision: z
      .enum(["rooftop", "source", "street", "postcode", "locality"])
      .optional()
      .openapi({ description: "How exact the point is; listings default to `source`, geocoders say what they found" }),
  })
  .refine((l) => !(l.lat === 0 && l.lng === 0), { message: "(0, 0) is not a property location", path: ["lat"] })
  .openapi("IngestLocation");

const KNOWN_FIELDS = new Set([
  "source",
  "source_listing_id",
  "source_url",
  "property_type",
  "property_subtype",
  "listing_type",
  "status",
  "title",
  "description",
  "price",
  "price_qualifier",
  "price_period",
  "currency",
  "sold_price",
  "sold_at",
  "bedrooms",
  "bathrooms",
  "parking_spaces",
  "area_living_sqm",
  "area_land_sqm",
  "year_built",
  "address",
  "location",
  "listed_at",
  "images",
  "features",
  "attributes",
]);

export const IngestItemSchema = z
  .looseObject({
    source: z
      .string()
      .transform((v) => cleanText(v).toLowerCase())
      .pipe(
        z
          .string()
          .min(1, "is required")
          .max(100)
          .regex(/^[a-z0-9][a-z0-9._:/-]*$/, "must be a domain or dataset name (letters, digits, . _ : / -)"),
      )
      .openapi({ description: "Where the listing comes from: a domain or dataset name", example: "realestate.com.au" }),
    source_listing_id: z
      .union([z.string(), z.number().int().nonnegative()])
      .transform((v) => cleanText(String(v)))
      .pipe(z.string().min(1, "is required").max(200))
      .openapi({ description: "The listing's id at its source", example: "143562321" }),
    source_url: httpUrl.openapi({ example: "https://www.realestate.com.au/property-unit-nsw-surry+hills-143562321" }),
    property_type: optionalText(100).openapi({
      description: 'house, apartment, condo, townhouse, multi_family, commercial, land, other, or a synonym ("Apartment/Unit")',
      example: "Apartment/Unit",
    }),
    property_subtype: optionalText(100),
    listing_type: enumOf("listing type", LISTING_TYPES, toListingType).openapi({ description: "sale (default) or rent" }),
    status: enumOf("status", STATUSES, toStatus).openapi({
      description: 'active (default), pending, sold, leased, withdrawn, off_market, or a synonym ("Under Offer" → pending)',
      example: "active",
    }),
    title: htmlText(500),
    description: htmlText(20_000),
    price,
    price_qualifier: z.enum(PRICE_QUALIFIERS).nullish().openapi({
      description:
        "How the source qualifies the price: offers over, a guide, from, auction, price on application, contact the agent, a range",
    }),
    price_period: z.enum(RENT_PERIODS).nullish().openapi({
      description: "The period a rent's `price` is quoted per, when not per month; it is converted to per month",
    }),
    currency: z
      .string()
      .nullish()
      .transform((v, ctx) => {
        if (v == null || v.trim() === "") return null;
        const code = v.trim().toUpperCase();
        if (!isCurrency(code)) {
          ctx.addIssue({ code: "custom", message: `unknown currency "${v}"; use an ISO 4217 code` });
          return z.NEVER;
        }
        return code;
      })
      .openapi({ description: "ISO 4217; defaults to the country's currency", example: "AUD" }),
    sold_price: price.openapi({ description: "Sale price in major units when status is sold (defaults to `price`)" }),
    sold_at: pastDate.openapi({ description: "When it sold (defaults to when the sale was first reported)" }),
    bedrooms: count(0, 100),
    bathrooms: decimal(0, 100),
    parking_spaces: count(0, 1000),
    area_living_sqm: area(100_000).openapi({
      description: 'Living area: m² as a number, or text with a unit ("1,200 sq ft", "85 m²")',
      example: "1,200 sq ft",
    }),
    area_land_sqm: area(1_000_000_000).openapi({ description: 'Land area: m², or text ("0.5 acres", "2 ha")' }),
    // The upper bound is read per validation: workerd's clock is frozen at the epoch while modules load.
    year_built: count(1000, 3000).refine((y) => y === null || y <= new Date().getUTCFullYear() + 5, {
      message: "must not be more than 5 years in the future",
    }),
    address: IngestAddressSchema,
    location: IngestLocationSchema.nullish(),
    listed_at: pastDate,
    images: z
      .array(httpUrl)
      .max(200)
      .nullish()
      .transform((v) => [...new Set(v ?? [])].slice(0, MAX_IMAGES))
      .openapi({ description: `Image URLs (http/https); duplicates dropped, the first ${MAX_IMAGES} kept` }),
    features: z
      .array(z.string().max(100))
      .max(100)
      .nullish()
      .transform((v) => [...new Set((v ?? []).map((f) => cleanText(f).toLowerCase()).filter(Boolean))])
      .openapi({ example: ["air conditioning", "pool"] }),
    attributes: z.record(z.string().max(100), z.unknown()).nullish().openapi({ description: "Free-form long tail" }),
  })
  .superRefine((item, ctx) => {
    const a = item.address;
    if (!a.street && !a.city && !a.postal_code && !item.location) {
      ctx.addIssue({ code: "custom", path: ["address"], message: "needs a street, city or postal code, or give location" });
    }
    if (!item.currency && !defaultCurrency(a.country) && (item.price != null || item.sold_price != null)) {
      ctx.addIssue({ code: "custom", path: ["currency"], message: `is required for country ${a.country}` });
    }
    const extra = Object.fromEntries(Object.entries(item).filter(([k]) => !KNOWN_FIELDS.has(k) && !READ_ONLY_FIELDS.has(k)));
    const stored = JSON.stringify({ ...item.attributes, ...extra });
    // jsonb refuses the NUL character and lone surrogates (SQLSTATE 22P05): refused here, by field.
    // JSON.stringify escapes exactly those (a valid surrogate pair stays raw), so an escape names one.
    if (/(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i.test(stored)) {
      ctx.addIssue({ code: "custom", path: ["attributes"], message: "must not contain NUL characters or invalid Unicode" });
    }
    if (stored.length > MAX_ATTRIBUTES_BYTES) {
      ctx.addIssue({
        code: "custom",
        path: ["attributes"],
        message: `attributes and unknown fields exceed ${MAX_ATTRIBUTES_BYTES} bytes`,
      });
    }
  })
  .openapi("IngestItem", {
    description: "One listing. Fields not listed here are kept in `attributes`.",
    example: {
      source: "realestate.com.au",
      source_listing_id: "143562321",
      source_url: "https://www.realestate.com.au/property-unit-nsw-surry+hills-143562321",
      property_type: "Apartment/Unit",
      status: "Under Offer",
      price: 850000,
      bedrooms: 2,
      area_living_sqm: "1,200 sq ft",
      address: { street: "Unit 4/12 Smith St", city: "Surry Hills", state: "NSW", postal_code: "2010", country: "Australia" },
      location: { lat: -33.8861, lng: 151.2111 },
      images: ["https://i2.realestate.com.au/abc.jpg"],
      features: ["air conditioning"],
    },
  });

/** What a client sends (numbers or text for areas and prices, names or codes for countries). */
export type IngestItemInput = z.input<typeof IngestItemSchema>;
/** A validated item: values parsed, not yet normalised into a stored listing. */
export type IngestItem = z.output<typeof IngestItemSchema>;

/**
 * Fields of the read API's item that Pillow computes itself; an item read from the API can carry them
 * back and they are ignored (not kept as attributes).
 */
const READ_ONLY_FIELDS = new Set([
  "id",
  "price_per_sqm",
  "updated_at",
  "quality_score",
  "thumbnail_url",
  "distance_km",
  "history",
  "sources",
]);

export { KNOWN_FIELDS, READ_ONLY_FIELDS };
