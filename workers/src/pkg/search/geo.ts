/**
 * Geo filters: radius (`near` + `radius_km`), viewport (`bbox`) and area (`polygon`).
 *
 * Radius uses the geography column and its GiST index: `ST_DWithin(location, pt, m, false)` plus
 * `ORDER BY location <-> pt`, both on the sphere, so the radius set, the order and `distance_km` all
 * agree (docs/query-design.md "P1"). Viewports and polygons are planar lon/lat questions and use the
 * `location::geometry` expression index (P1, P4): a geography `&&` scales badly and a geometry
 * `ST_DWithin` would measure degrees.
 */
import { invalid } from "./invalid";
import type { SqlParams } from "./sql";

export type Near = { lat: number; lng: number; radiusM: number };
export type Bbox = { minLng: number; minLat: number; maxLng: number; maxLat: number };
export type GeoFilter = { near?: Near; bbox?: Bbox; polygon?: string /* GeoJSON Polygon text */ };

export const DEFAULT_RADIUS_KM = 10;
export const MAX_POLYGON_VERTICES = 200;

function checkLatLng(param: string, lat: number, lng: number) {
  if (!(lat >= -90 && lat <= 90)) throw invalid(param, `latitude ${lat} is outside -90..90`);
  if (!(lng >= -180 && lng <= 180)) throw invalid(param, `longitude ${lng} is outside -180..180`);
}

export function parseNear(value: string, radiusKm: number | undefined): Near {
  const [lat, lng] = value.split(",").map(Number) as [number, number];
  checkLatLng("near", lat, lng);
  return { lat, lng, radiusM: (radiusKm ?? DEFAULT_RADIUS_KM) * 1000 };
}

export function parseBbox(value: string): Bbox {
  const parts = value.split(",").map((s) => Number(s.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    throw invalid("bbox", "must be four numbers: minLng,minLat,maxLng,maxLat");
  }
  const [minLng, minLat, maxLng, maxLat] = parts as [number, number, number, number];
  checkLatLng("bbox", minLat, minLng);
  checkLatLng("bbox", maxLat, maxLng);
  if (minLng >= maxLng)
    throw invalid("bbox", "minLng must be less than maxLng (boxes across the antimeridian: send two requests)");
  if (minLat >= maxLat) throw invalid("bbox", "minLat must be less than maxLat");
  return { minLng, minLat, maxLng, maxLat };
}

type Ring = Array<[number, number]>;

function ringFromPairs(value: string): Ring {
  return value
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const nums = pair.split(",").map((s) => Number(s.trim()));
      if (nums.length !== 2 || nums.some((n) => !Number.isFinite(n))) throw invalid("polygon", `"${pair}" is not lat,lng`);
      const [lat, lng] = nums as [number, number];
      return [lng, lat];
    });
}

function ringsFromGeoJson(value: string): Ring[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalid("polygon", "is neither valid GeoJSON nor `lat,lng;lat,lng;…`");
  }
  const g = parsed as { type?: unknown; coordinates?: unknown };
  if (g?.type !== "Polygon" || !Array.isArray(g.coordinates) || g.coordinates.length === 0) {
    throw invalid("polygon", "GeoJSON must be a Polygon with coordinates");
  }
  return g.coordinates.map((ring) => {
    if (!Array.isArray(ring)) throw invalid("polygon", "each ring must be an array of [lng, lat] positions");
    return ring.map((pos) => {
      if (!Array.isArray(pos) || pos.length < 2 || !pos.slice(0, 2).every((n) => typeof n === "number" && Number.isFinite(n))) {
        throw invalid("polygon", "each position must be [lng, lat]");
      }
      return [pos[0], pos[1]] as [number, number];
    });
  });
}

/** Returns the polygon as GeoJSON text with closed rings, after checking coordinates and size. */
export function parsePolygon(value: string): string {
  const rings = value.trim().startsWith("{") ? ringsFromGeoJson(value) : [ringFromPairs(value)];
  let vertices = 0;
  const closed = rings.map((ring) => {
    for (const [lng, lat] of ring) checkLatLng("polygon", lat, lng);
    const first = ring[0];
    const last = ring.at(-1);
    const out = first && last && (first[0] !== last[0] || first[1] !== last[1]) ? [...ring, first] : ring;
    const distinct = out.length - 1;
    if (distinct < 3) throw invalid("polygon", "each ring needs at least 3 distinct vertices");
    vertices += distinct;
    return out;
  });
  if (vertices > MAX_POLYGON_VERTICES) throw invalid("polygon", `has ${vertices} vertices; at most ${MAX_POLYGON_VERTICES}`);
  return JSON.stringify({ type: "Polygon", coordinates: closed });
}

export function hasSpatialFilter(geo: GeoFilter): boolean {
  return Boolean(geo.near || geo.bbox || geo.polygon);
}

/** The near point as a geography constant (folded at plan time, so KNN and ST_DWithin see a constant). */
export function nearPoint(p: SqlParams, near: Near): string {
  return `ST_SetSRID(ST_MakePoint(${p.add(near.lng, "float8")}, ${p.add(near.lat, "float8")}), 4326)::geography`;
}

/** The spatial conditions, each in the form its GiST index serves. */
export function geoConditions(p: SqlParams, geo: GeoFilter): string[] {
  const out: string[] = [];
  if (geo.near) out.push(`ST_DWithin(p.location, ${nearPoint(p, geo.near)}, ${p.add(geo.near.radiusM, "float8")}, false)`);
  if (geo.bbox) {
    const b = geo.bbox;
    const env = `ST_MakeEnvelope(${p.add(b.minLng, "float8")}, ${p.add(b.minLat, "float8")}, ${p.add(b.maxLng, "float8")}, ${p.add(b.maxLat, "float8")}, 4326)`;
    out.push(`p.location::geometry && ${env}`);
  }
  if (geo.polygon) {
    const poly = `ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${p.add(geo.polygon, "text")}), 4326))`;
    out.push(`ST_Intersects(p.location::geometry, ${poly})`);
  }
  return out;
}

/** Degrees of latitude per metre on the sphere ST_DWithin(…, false) uses, with a margin. */
const DEG_PER_M = 1.0001 / 111_195;

/** A lon/lat box that contains every point within the radius (a superset; null where it would wrap). */
function radiusBox(near: Near): Bbox | null {
  const dLat = near.radiusM * DEG_PER_M;
  const maxLat = Math.min(90, Math.abs(near.lat) + dLat);
  if (maxLat >= 89) return null;
  const dLng = dLat / Math.cos((maxLat * Math.PI) / 180);
  const box = { minLng: near.lng - dLng, minLat: near.lat - dLat, maxLng: near.lng + dLng, maxLat: near.lat + dLat };
  return box.minLng < -180 || box.maxLng > 180 ? null : box;
}

function polygonBox(geojson: string): Bbox {
  const rings = (JSON.parse(geojson) as { coordinates: Array<Array<[number, number]>> }).coordinates;
  const points = rings.flat();
  const lngs = points.map((pt) => pt[0]);
  const lats = points.map((pt) => pt[1]);
  return { minLng: Math.min(...lngs), minLat: Math.min(...lats), maxLng: Math.max(...lngs), maxLat: Math.max(...lats) };
}

function boxTest(p: SqlParams, b: Bbox): string {
  return `p.lng BETWEEN ${p.add(b.minLng, "float8")} AND ${p.add(b.maxLng, "float8")} AND p.lat BETWEEN ${p.add(b.minLat, "float8")} AND ${p.add(b.maxLat, "float8")}`;
}

/**
 * The same spatial conditions on the plain `lng`/`lat` columns, for rows that come from an index
 * carrying only those (the newest-first walk). A box is two float comparisons, exactly `&&` for a
 * point; radius and polygon test their bounding box first and the exact shape only inside it.
 */
export function coordinateConditions(p: SqlParams, geo: GeoFilter): string[] {
  const out: string[] = [];
  const point = "ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326)";
  if (geo.near) {
    const box = radiusBox(geo.near);
    if (box) out.push(boxTest(p, box));
    out.push(`ST_DWithin(${point}::geography, ${nearPoint(p, geo.near)}, ${p.add(geo.near.radiusM, "float8")}, false)`);
  }
  if (geo.bbox) out.push(boxTest(p, geo.bbox));
  if (geo.polygon) {
    out.push(boxTest(p, polygonBox(geo.polygon)));
    out.push(`ST_Intersects(${point}, ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${p.add(geo.polygon, "text")}), 4326)))`);
  }
  return out;
}

/** Side of a `geo_cell` in degrees; must match the SQL function of migration 0005. */
export const CELL_DEGREES = 0.025;
const CELLS_PER_ROW = 14_400;
/** More cells than this and the cell lookup costs more than the GiST fallback. */
export const MAX_CELLS = 256;

/** The lon/lat box around the spatial filter (a superset of it), or null where there is none. */
export function areaBox(geo: GeoFilter): Bbox | null {
  const boxes = [geo.bbox, geo.near ? radiusBox(geo.near) : undefined, geo.polygon ? polygonBox(geo.polygon) : undefined];
  if (boxes.some((b) => b === null)) return null;
  const present = boxes.filter((b): b is Bbox => b !== undefined);
  if (present.length === 0) return null;
  // Several spatial filters are ANDed: their boxes intersect.
  return {
    minLng: Math.max(...present.map((b) => b.minLng)),
    minLat: Math.max(...present.map((b) => b.minLat)),
    maxLng: Math.min(...present.map((b) => b.maxLng)),
    maxLat: Math.min(...present.map((b) => b.maxLat)),
  };
}

/** The `geo_cell` numbers covering a box, or null when there are more than MAX_CELLS. */
export function cellsCovering(b: Bbox): number[] | null {
  const index = (deg: number, offset: number) => Math.floor((deg + offset) / CELL_DEGREES);
  const [r0, r1] = [index(b.minLat, 90), index(b.maxLat, 90)];
  const [c0, c1] = [index(b.minLng, 180), index(b.maxLng, 180)];
  if (r1 < r0 || c1 < c0) return [];
  if ((r1 - r0 + 1) * (c1 - c0 + 1) > MAX_CELLS) return null;
  const cells: number[] = [];
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) cells.push(r * CELLS_PER_ROW + c);
  return cells;
}
