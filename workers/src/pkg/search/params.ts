/**
 * The filter parameters shared by search, stats and facets: one zod shape (documents them in
 * OpenAPI and checks their syntax) and one parser (`parseFilters`) that turns the validated strings
 * into typed `Filters`, checking what a single parameter cannot (ranges, geometry). Every failure
 * is a VALIDATION_FAILED that names the parameter.
 */
import { z } from "@hono/zod-openapi";
import { defaultCurrency, isCurrency } from "../ingest/normalise/money";
import { FACT_COLUMNS, FACT_FILTERS, type FactFilterParam } from "../properties/columns";
import { boundedQueryNumber, boundedText, boundedTimestampParam, PRICE_BOUNDS } from "../validation/bounded";
import { type GeoFilter, parseBbox, parseNear, parsePolygon } from "./geo";
import { invalid } from "./invalid";

const SLUG_LIST = /^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$/;
const TEXT_LIST = /^[^,]+(,[^,]+)*$/;
/** Source names as ingest accepts them: domains and dataset names ("rightmove.co.uk", "kc_house_data"). */
const SOURCE_LIST = /^[A-Za-z0-9][A-Za-z0-9._:/-]*(,[A-Za-z0-9][A-Za-z0-9._:/-]*)*$/;

const list = (description: string, example: string, pattern = SLUG_LIST) =>
  boundedText(1000).regex(pattern, "must be a comma-separated list").optional().openapi({ description, example });

/** Numbers are bounded by what their column holds (pkg/validation/bounded.ts). */
const number = (description: string, example: number, bounds: Parameters<typeof boundedQueryNumber>[0]) =>
  boundedQueryNumber(bounds).optional().openapi({ description, example });

const timestampParam = (description: string) =>
  boundedTimestampParam()
    .optional()
    .openapi({ description: `${description} Between 1800 and 2200.`, example: "2026-01-01" });

/** The range filters on the property's facts (pkg/properties/columns.ts `FACTS`): `min_bedrooms`, `year_built_max`, … */
const factFilterShape = Object.fromEntries(
  FACT_FILTERS.map((f) => [f.param, number(f.description, f.example, f.bounds)]),
) as Record<FactFilterParam, ReturnType<typeof number>>;

/** Every filter parameter. Lists are comma-separated and match any of their values; filters combine with AND. */
export const filterQueryShape = {
  property_type: list("Property types, e.g. `house,apartment`.", "apartment"),
  listing_type: z
    .string()
    .regex(/^(sale|rent)(,(sale|rent))*$/, "must be sale, rent or both")
    .optional()
    .openapi({ description: "`sale`, `rent` or both.", example: "sale" }),
  status: list("Listing status; default `active`. E.g. `active,pending,sold,withdrawn`.", "active"),
  min_price: number(
    "Lowest price, in whole units of `currency` (else of the one `country`'s currency; else of a two-decimal currency such as dollars).",
    300000,
    PRICE_BOUNDS,
  ),
  max_price: number("Highest price, in whole currency units (as `min_price`).", 600000, PRICE_BOUNDS),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "must be an ISO 4217 code")
    .optional()
    .openapi({
      description: "ISO 4217 currency: only listings priced in it; `min_price`/`max_price` are in its units.",
      example: "GBP",
    }),
  ...factFilterShape,
  city: list("Cities; case- and accent-insensitive (`zurich` matches `Zürich`).", "Oakland", TEXT_LIST),
  state: list("States or regions, as the source writes them (case-insensitive).", "CA", TEXT_LIST),
  postal_code: list("Postal codes (case-insensitive, exact).", "94607", TEXT_LIST),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}(,[A-Za-z]{2})*$/, "must be ISO 3166-1 alpha-2 codes")
    .optional()
    .openapi({ description: "ISO 3166-1 alpha-2 country codes.", example: "US" }),
  source: list(
    "Sources the property is listed on (any of them), e.g. `rightmove.co.uk,kc_house_data`.",
    "kc_house_data",
    SOURCE_LIST,
  ),
  features: list("Features the property must have, all of them.", "garage,pool", TEXT_LIST),
  q: boundedText(200).trim().min(1).optional().openapi({
    description: "Full-text search over title, address and description (all words must match).",
    example: "garden view",
  }),
  listed_since: timestampParam("Listed at or after this time."),
  updated_since: timestampParam("Changed at or after this time."),
  near: z
    .string()
    .max(100)
    .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, "must be lat,lng")
    .optional()
    .openapi({ description: "Centre of a radius search, `lat,lng`.", example: "37.8044,-122.2712" }),
  radius_km: number("Radius around `near`, km (default 10, at most 100).", 5, { min: 0.001, max: 100 }),
  bbox: boundedText(200)
    .optional()
    .openapi({ description: "Map viewport `minLng,minLat,maxLng,maxLat`.", example: "-122.35,37.75,-122.2,37.85" }),
  polygon: boundedText(20000, { multiline: true }).optional().openapi({
    description: "Area: a GeoJSON Polygon, or `lat,lng;lat,lng;…` (3 to 200 vertices).",
    example: "37.80,-122.30;37.80,-122.25;37.77,-122.25;37.77,-122.30",
  }),
};

export const FilterQuerySchema = z.object(filterQueryShape);
export type FilterQuery = z.infer<typeof FilterQuerySchema>;

export type Filters = {
  propertyTypes?: string[];
  listingTypes?: string[];
  statuses: string[];
  /** Price bounds in whole currency units; compared in minor units of `currency`, or of each listing's own. */
  minPrice?: number;
  maxPrice?: number;
  /** Only listings priced in this currency. */
  currency?: string;
  /** The currency `minPrice`/`maxPrice` are read in: `currency`, else the one country's own. */
  priceCurrency?: string;
  /**
   * Bounds on the facts by filter parameter (`min_bedrooms: 2`; see FACT_FILTERS). Undefined when
   * there are none, like every other filter left out: the rollups and strategies test that.
   */
  facts?: Partial<Record<FactFilterParam, number>>;
  cities?: string[];
  states?: string[];
  postalCodes?: string[];
  countries?: string[];
  sources?: string[];
  features?: string[];
  q?: string;
  listedSince?: string;
  updatedSince?: string;
  geo: GeoFilter;
};

const split = (v: string | undefined) =>
  v === undefined
    ? undefined
    : [
        ...new Set(
          v
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];

/** The facts with both a lower and an upper filter: the pairs whose order is checked. */
const FACT_RANGES = FACT_COLUMNS.flatMap((column) => {
  const low = FACT_FILTERS.find((f) => f.column === column && f.op === ">=");
  const high = FACT_FILTERS.find((f) => f.column === column && f.op === "<=");
  return low && high ? [[low.param, high.param] as const] : [];
});

function checkRange(lowName: string, low: number | undefined, highName: string, high: number | undefined) {
  if (low !== undefined && high !== undefined && low > high) throw invalid(lowName, `must not be greater than ${highName}`);
}

function parseCurrency(code: string): string {
  const upper = code.toUpperCase();
  if (!isCurrency(upper)) throw invalid("currency", "is not an ISO 4217 currency");
  return upper;
}

function factBounds(q: FilterQuery): Filters["facts"] {
  const given = FACT_FILTERS.filter((f) => q[f.param] !== undefined);
  return given.length === 0 ? undefined : Object.fromEntries(given.map((f) => [f.param, q[f.param]]));
}

export function parseFilters(q: FilterQuery): Filters {
  checkRange("min_price", q.min_price, "max_price", q.max_price);
  for (const [low, high] of FACT_RANGES) checkRange(low, q[low], high, q[high]);
  if (q.radius_km !== undefined && q.near === undefined) throw invalid("radius_km", "needs `near`");
  const lower = (v: string[] | undefined) => v?.map((s) => s.toLowerCase());
  const countries = split(q.country)?.map((s) => s.toUpperCase());
  const currency = q.currency === undefined ? undefined : parseCurrency(q.currency);
  return {
    propertyTypes: lower(split(q.property_type)),
    listingTypes: split(q.listing_type),
    statuses: lower(split(q.status)) ?? ["active"],
    minPrice: q.min_price,
    maxPrice: q.max_price,
    currency,
    priceCurrency: currency ?? (countries?.length === 1 ? defaultCurrency(countries[0] as string) : undefined),
    facts: factBounds(q),
    cities: split(q.city),
    states: lower(split(q.state)),
    postalCodes: split(q.postal_code)?.map((s) => s.toUpperCase()),
    countries,
    sources: lower(split(q.source)),
    features: split(q.features),
    q: q.q,
    listedSince: q.listed_since === undefined ? undefined : new Date(q.listed_since).toISOString(),
    updatedSince: q.updated_since === undefined ? undefined : new Date(q.updated_since).toISOString(),
    geo: {
      near: q.near === undefined ? undefined : parseNear(q.near, q.radius_km),
      bbox: q.bbox === undefined ? undefined : parseBbox(q.bbox),
      polygon: q.polygon === undefined ? undefined : parsePolygon(q.polygon),
    },
  };
}

/**
 * A stable text form of the validated query (keys sorted, defaults dropped by zod): the cache key
 * and the cursor's filter fingerprint are built from it.
 */
export function normaliseQuery(query: Record<string, unknown>, omit: string[] = []): string {
  return Object.keys(query)
    .filter((k) => query[k] !== undefined && !omit.includes(k))
    .sort()
    .map((k) => `${k}=${String(query[k])}`)
    .join("&");
}
