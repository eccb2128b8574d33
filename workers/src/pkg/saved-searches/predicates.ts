/**
 * The percolator index of saved searches (table `saved_search_predicates`, migrations 0015 and 0021): for
 * each saved search, rows of necessary conditions that a changed property can be looked up by through an
 * index, so matching a batch never tests every saved search. A row is anchored on the most selective
 * field the search has: its area (`geo`, the envelope of its radius, viewport or polygon, GiST), else each
 * of its cities (`city`), else each of its countries (`country`), else nothing (`any`); the last two are
 * looked up by their price range.
 *
 * Every filter a column can hold rides along on every row (price and bedroom ranges, listing and property
 * types, countries, currency, a radius' centre and distance, the statuses), and `exact` says that these
 * columns are the whole filter: then the row decides the match by itself (match.ts `ROW_ADMITS`), and only
 * searches with filters a row cannot hold (text, features, states, postal codes, other facts, polygons,
 * dates, sources) are confirmed by their exact filter. predicates.test.ts checks, for many random searches
 * and properties, that an exact row and the search's own SQL filter decide alike.
 */
import { priceBoundMinor } from "../search/filters";
import type { Filters } from "../search/params";

export type Envelope = { minLng: number; minLat: number; maxLng: number; maxLat: number };
export type PredicateRow = {
  anchor: "geo" | "city" | "country" | "any";
  country: string | null;
  city: string | null;
  envelope: Envelope | null;
};

/** The filters a predicate row holds as columns; any other filter set makes the search's rows inexact. */
const ROW_FILTERS = new Set<keyof Filters>([
  "statuses",
  "listingTypes",
  "propertyTypes",
  "countries",
  "cities",
  "currency",
  "priceCurrency",
  "minPrice",
  "maxPrice",
  "facts",
  "geo",
]);
const ROW_FACTS = new Set(["min_bedrooms", "max_bedrooms"]);

/**
 * Whether the search's predicate rows decide it alone: every filter it has is a column of its rows.
 * Spatially, that is a viewport alone (the row's area is the viewport, and `&&` is the filter's own test)
 * or a radius alone (the row carries its centre and distance); cities only without a geo filter (a geo
 * row has no city). Whatever else it has, the exact filter confirms.
 */
export function rowDecides(filters: Filters): boolean {
  for (const [key, value] of Object.entries(filters) as Array<[keyof Filters, unknown]>) {
    if (value !== undefined && !ROW_FILTERS.has(key)) return false;
  }
  if (filters.facts && Object.keys(filters.facts).some((k) => !ROW_FACTS.has(k))) return false;
  const { near, bbox, polygon } = filters.geo;
  if (polygon) return false;
  if (near && bbox) return false;
  if ((near || bbox) && filters.cities?.length) return false;
  return true;
}

/** Metres per degree of latitude on the sphere the search's radius uses (PostGIS' mean radius), less 1 %. */
const METRES_PER_DEGREE = ((6_371_008.8 * Math.PI) / 180) * 0.99;

function nearEnvelope(near: NonNullable<Filters["geo"]["near"]>): Envelope {
  const dLat = near.radiusM / METRES_PER_DEGREE;
  const cos = Math.cos((near.lat * Math.PI) / 180);
  const dLng = cos < 0.01 ? 180 : Math.min(180, dLat / cos);
  return {
    minLng: Math.max(-180, near.lng - dLng),
    maxLng: Math.min(180, near.lng + dLng),
    minLat: Math.max(-90, near.lat - dLat),
    maxLat: Math.min(90, near.lat + dLat),
  };
}

/** The envelope of a GeoJSON Polygon's rings (the search parser has already checked its shape). */
function polygonEnvelope(geojson: string): Envelope {
  const { coordinates } = JSON.parse(geojson) as { coordinates: Array<Array<[number, number]>> };
  const points = coordinates.flat();
  const lngs = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return { minLng: Math.min(...lngs), maxLng: Math.max(...lngs), minLat: Math.min(...lats), maxLat: Math.max(...lats) };
}

/** Each geo filter is a necessary condition; the smallest envelope of them narrows most. */
function areaOf(geo: Filters["geo"]): Envelope | null {
  const envelopes = [
    geo.bbox ?? null,
    geo.near ? nearEnvelope(geo.near) : null,
    geo.polygon ? polygonEnvelope(geo.polygon) : null,
  ].filter((e): e is Envelope => e !== null);
  const size = (e: Envelope) => (e.maxLng - e.minLng) * (e.maxLat - e.minLat);
  return envelopes.sort((a, b) => size(a) - size(b))[0] ?? null;
}

export function predicateRows(filters: Filters): PredicateRow[] {
  const area = areaOf(filters.geo);
  const country = filters.countries?.length === 1 ? (filters.countries[0] ?? null) : null;
  if (area) return [{ anchor: "geo", country, city: null, envelope: area }];
  if (filters.cities?.length) return filters.cities.map((city) => ({ anchor: "city", country, city, envelope: null }));
  if (filters.countries?.length)
    return filters.countries.map((c) => ({ anchor: "country", country: c, city: null, envelope: null }));
  return [{ anchor: "any", country: null, city: null, envelope: null }];
}

/** The search's price bounds in minor units, as its exact filter compares them (null: unbounded). */
export function priceRangeMinor(filters: Filters): [number | null, number | null] {
  const bound = (major: number | undefined) => (major === undefined ? null : priceBoundMinor(major, filters.priceCurrency));
  return [bound(filters.minPrice), bound(filters.maxPrice)];
}

/** A saved search's predicate rows as PREDICATE_COLUMNS records (JSON for `insertPredicatesSql`). */
export function predicateRecords(id: string, filters: Filters): Array<Record<string, unknown>> {
  const [minPrice, maxPrice] = priceRangeMinor(filters);
  const exact = rowDecides(filters);
  const near = filters.geo.near;
  return predicateRows(filters).map((r) => ({
    saved_search_id: id,
    anchor: r.anchor,
    country: r.country,
    city: r.city,
    min_lng: r.envelope?.minLng ?? null,
    min_lat: r.envelope?.minLat ?? null,
    max_lng: r.envelope?.maxLng ?? null,
    max_lat: r.envelope?.maxLat ?? null,
    min_price_minor: minPrice,
    max_price_minor: maxPrice,
    min_bedrooms: filters.facts?.min_bedrooms ?? null,
    max_bedrooms: filters.facts?.max_bedrooms ?? null,
    statuses: filters.statuses,
    listing_types: filters.listingTypes ?? null,
    property_types: filters.propertyTypes ?? null,
    countries: filters.countries ?? null,
    currency: filters.currency ?? null,
    near_lat: near?.lat ?? null,
    near_lng: near?.lng ?? null,
    near_radius_m: near?.radiusM ?? null,
    exact,
  }));
}

/**
 * Inserts predicate records (`predicateRecords`) given as JSON in the parameter `param`, with what the
 * events step needs of their search (its events, creation, pause and webhook; migration 0021's trigger
 * keeps these equal to the search's when it changes). City keys are
 * folded by the same `lower(f_unaccent(…))` as `properties.city_key`; a radius' point is built as the
 * radius filter builds it (search/geo.ts `nearPoint`), and the bounds take the casts the filter's take.
 */
export const insertPredicatesSql = (param: string) => `
INSERT INTO saved_search_predicates
  (saved_search_id, anchor, country, city_key, area, min_price_minor, max_price_minor, min_bedrooms, max_bedrooms,
   statuses, listing_types, property_types, countries, currency, near_point, near_radius_m, exact,
   events, search_created_at, paused, hooked)
SELECT r.saved_search_id, r.anchor, r.country, lower(f_unaccent(r.city)),
       CASE WHEN r.min_lng IS NULL THEN NULL ELSE ST_MakeEnvelope(r.min_lng, r.min_lat, r.max_lng, r.max_lat, 4326) END,
       r.min_price_minor::bigint, r.max_price_minor::bigint, r.min_bedrooms::smallint, r.max_bedrooms::smallint,
       r.statuses, r.listing_types, r.property_types, r.countries::bpchar[], r.currency::bpchar,
       CASE WHEN r.near_lat IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(r.near_lng, r.near_lat), 4326)::geography END,
       r.near_radius_m, r.exact,
       s.events, s.created_at, s.paused_at IS NOT NULL, s.webhook_url IS NOT NULL AND s.webhook_disabled_at IS NULL
FROM jsonb_to_recordset(${param}::jsonb) AS r(saved_search_id uuid, anchor text, country text, city text,
  min_lng float8, min_lat float8, max_lng float8, max_lat float8, min_price_minor float8, max_price_minor float8,
  min_bedrooms float8, max_bedrooms float8, statuses text[], listing_types text[], property_types text[], countries text[],
  currency text, near_lat float8, near_lng float8, near_radius_m float8, exact boolean)
JOIN saved_searches s ON s.id = r.saved_search_id`;

/**
 * One statement that replaces a saved search's predicate rows ($1 the id, $2 the records as JSON, $3 the
 * owner); nothing unless the search exists and is the owner's.
 */
export const REPLACE_PREDICATES_SQL = `
WITH owned AS (SELECT 1 FROM saved_searches WHERE id = $1::uuid AND user_id = $3::uuid),
gone AS (DELETE FROM saved_search_predicates WHERE saved_search_id = $1::uuid AND EXISTS (SELECT 1 FROM owned))
${insertPredicatesSql("$2")}
WHERE EXISTS (SELECT 1 FROM owned)`;

export function replacePredicatesParams(id: string, userId: string, filters: Filters): unknown[] {
  return [id, JSON.stringify(predicateRecords(id, filters)), userId];
}
