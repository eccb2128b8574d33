/**
 * The filter parameters shared by search, stats and facets: one zod shape (documents them in
 * OpenAPI and checks their syntax) and one parser (`parseFilters`) that turns the validated strings
 * into typed `Filters`, checking what a single parameter cannot (ranges, geometry). Every failure
 * is a VALIDATION_FAILED that names the parameter.
 */
import { z } from "@hono/zod-openapi";
import {
  AREA_BOUNDS,
  BATHROOM_BOUNDS,
  BEDROOM_BOUNDS,
  boundedQueryNumber,
  boundedText,
  boundedTimestampParam,
  PRICE_BOUNDS,
  YEAR_BOUNDS,
} from "../validation/bounded";
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

/** Every filter parameter. Lists are comma-separated and match any of their values; filters combine with AND. */
export const filterQueryShape = {
  property_type: list("Property types, e.g. `house,apartment`.", "apartment"),
  listing_type: z
    .string()
    .regex(/^(sale|rent)(,(sale|rent))*$/, "must be sale, rent or both")
    .optional()
    .openapi({ description: "`sale`, `rent` or both.", example: "sale" }),
  status: list("Listing status; default `active`. E.g. `active,pending,sold,withdrawn`.", "active"),
  min_price: number("Lowest price, in whole currency units (e.g. dollars).", 300000, PRICE_BOUNDS),
  max_price: number("Highest price, in whole currency units.", 600000, PRICE_BOUNDS),
  min_bedrooms: number("At least this many bedrooms (listings with unknown bedrooms are excluded).", 2, BEDROOM_BOUNDS),
  max_bedrooms: number("At most this many bedrooms.", 4, BEDROOM_BOUNDS),
  min_bathrooms: number("At least this many bathrooms.", 1.5, BATHROOM_BOUNDS),
  min_area: number("Living area at least, m².", 50, AREA_BOUNDS),
  max_area: number("Living area at most, m².", 200, AREA_BOUNDS),
  min_land_area: number("Land area at least, m².", 400, AREA_BOUNDS),
  year_built_min: number("Built in or after this year.", 1950, YEAR_BOUNDS),
  year_built_max: number("Built in or before this year.", 2020, YEAR_BOUNDS),
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
  minPriceMinor?: number;
  maxPriceMinor?: number;
  minBedrooms?: number;
  maxBedrooms?: number;
  minBathrooms?: number;
  minArea?: number;
  maxArea?: number;
  minLandArea?: number;
  yearBuiltMin?: number;
  yearBuiltMax?: number;
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

function checkRange(lowName: string, low: number | undefined, highName: string, high: number | undefined) {
  if (low !== undefined && high !== undefined && low > high) throw invalid(lowName, `must not be greater than ${highName}`);
}

/** Whole currency units → minor units (the database stores cents). */
export const toMinor = (major: number) => Math.round(major * 100);

export function parseFilters(q: FilterQuery): Filters {
  checkRange("min_price", q.min_price, "max_price", q.max_price);
  checkRange("min_bedrooms", q.min_bedrooms, "max_bedrooms", q.max_bedrooms);
  checkRange("min_area", q.min_area, "max_area", q.max_area);
  checkRange("year_built_min", q.year_built_min, "year_built_max", q.year_built_max);
  if (q.radius_km !== undefined && q.near === undefined) throw invalid("radius_km", "needs `near`");
  const lower = (v: string[] | undefined) => v?.map((s) => s.toLowerCase());
  return {
    propertyTypes: lower(split(q.property_type)),
    listingTypes: split(q.listing_type),
    statuses: lower(split(q.status)) ?? ["active"],
    minPriceMinor: q.min_price === undefined ? undefined : toMinor(q.min_price),
    maxPriceMinor: q.max_price === undefined ? undefined : toMinor(q.max_price),
    minBedrooms: q.min_bedrooms,
    maxBedrooms: q.max_bedrooms,
    minBathrooms: q.min_bathrooms,
    minArea: q.min_area,
    maxArea: q.max_area,
    minLandArea: q.min_land_area,
    yearBuiltMin: q.year_built_min,
    yearBuiltMax: q.year_built_max,
    cities: split(q.city),
    states: lower(split(q.state)),
    postalCodes: split(q.postal_code)?.map((s) => s.toUpperCase()),
    countries: split(q.country)?.map((s) => s.toUpperCase()),
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
