/**
 * The percolator index of saved searches (table `saved_search_predicates`, migration 0015): for each
 * saved search, rows of necessary conditions that a changed property can be looked up by through an
 * index, so matching a batch never tests every saved search. A row is anchored on the most selective
 * field the search has: its area (`geo`, the envelope of its radius, viewport or polygon, GiST), else each
 * of its cities (`city`), else each of its countries (`country`), else nothing (`any`); the last two are
 * looked up by their price range. Price and bedroom ranges ride along on every row. Rows only narrow: the exact search filter confirms (match.ts).
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

/**
 * One statement that replaces a saved search's predicate rows ($1 the id, $2 the rows as JSON, $3–$6 the
 * ranges, $7 the owner); nothing unless the search exists and is the owner's. City keys are folded by the same `lower(f_unaccent(…))` as `properties.city_key`.
 */
export const REPLACE_PREDICATES_SQL = `
WITH owned AS (SELECT 1 FROM saved_searches WHERE id = $1::uuid AND user_id = $7::uuid),
gone AS (DELETE FROM saved_search_predicates WHERE saved_search_id = $1::uuid AND EXISTS (SELECT 1 FROM owned))
INSERT INTO saved_search_predicates
  (saved_search_id, anchor, country, city_key, area, min_price_minor, max_price_minor, min_bedrooms, max_bedrooms)
SELECT $1::uuid, r.anchor, r.country, lower(f_unaccent(r.city)),
       CASE WHEN r.min_lng IS NULL THEN NULL ELSE ST_MakeEnvelope(r.min_lng, r.min_lat, r.max_lng, r.max_lat, 4326) END,
       $3::bigint, $4::bigint, $5::smallint, $6::smallint
FROM jsonb_to_recordset($2::jsonb)
  AS r(anchor text, country text, city text, min_lng float8, min_lat float8, max_lng float8, max_lat float8)
WHERE EXISTS (SELECT 1 FROM owned)`;

/** The search's price bounds in minor units, as its exact filter compares them (null: unbounded). */
export function priceRangeMinor(filters: Filters): [number | null, number | null] {
  const bound = (major: number | undefined) => (major === undefined ? null : priceBoundMinor(major, filters.priceCurrency));
  return [bound(filters.minPrice), bound(filters.maxPrice)];
}

export function replacePredicatesParams(id: string, userId: string, filters: Filters): unknown[] {
  const rows = predicateRows(filters).map((r) => ({
    anchor: r.anchor,
    country: r.country,
    city: r.city,
    min_lng: r.envelope?.minLng ?? null,
    min_lat: r.envelope?.minLat ?? null,
    max_lng: r.envelope?.maxLng ?? null,
    max_lat: r.envelope?.maxLat ?? null,
  }));
  return [
    id,
    JSON.stringify(rows),
    ...priceRangeMinor(filters),
    filters.facts?.min_bedrooms ?? null,
    filters.facts?.max_bedrooms ?? null,
    userId,
  ];
}
