/**
 * Vector tiles of a search (`ST_AsMVT`): the same filters as the list, drawn for a whole result set.
 *
 * - Up to CLUSTER_MAX_ZOOM a tile holds clusters: the tile is cut into a GRID × GRID grid and each
 *   cell (and currency: medians never mix currencies) becomes one point at the mean position of its
 *   properties, with `count` and `median_price`. A cell of one property also carries its `id`,
 *   `price`, `type` and `approximate`, so the map can draw it as a pin.
 * - Above it, one point per property (`id`, `price`, `currency`, `type`, `approximate`: the point is a
 *   postcode or locality centroid).
 *
 * Each property falls in exactly one tile of a zoom: the tile is half-open (west and south edges
 * excluded on one side, see `tileBounds`), so the counts of all tiles add up to the search's total
 * (of the geocoded properties). Rows are found through the `location::geometry` GiST index (P4);
 * tile pixel coordinates are computed from the `lng`/`lat` columns with the Web Mercator formula,
 * which is cheaper per row than `ST_Transform` + `ST_AsMVTGeom` and gives the same points.
 *
 * The median is `percentile_disc(0.5)` over a deterministic sample of the rows (by a hash of the
 * id), sized so a tile sorts at most about SAMPLE_ROWS prices whatever its zoom: an exact median of a
 * dense city at z5 sorts hundreds of thousands of rows and spilled to disk. When the table holds fewer
 * than SAMPLE_ROWS properties the sample is every row and the median is exact. A cell whose sample
 * is empty (a sparse cell of a large table) has no `median_price`.
 */

import { APPROXIMATE_PRECISIONS } from "../ingest/precision";
import { filterConditions } from "./filters";
import { minorUnitDigits } from "./money";
import type { Filters } from "./params";
import { and, SqlParams, type SqlQuery } from "./sql";

export const MAX_ZOOM = 22;
/** Clusters up to this zoom, one feature per property above it. */
export const CLUSTER_MAX_ZOOM = 13;
/** Tile coordinate space (the MVT default). */
export const EXTENT = 4096;
/** Cells per tile side when clustering: 8 × 8 cells of 64 px on a 512 px map tile. */
export const GRID = 8;
/** About how many prices a tile's medians sort at most. */
export const SAMPLE_ROWS = 20_000;

export const CLUSTER_LAYER = "clusters";
export const POINT_LAYER = "properties";

export type Tile = { z: number; x: number; y: number };

/** The tile's edges in degrees (Web Mercator tiles, y down from the north). */
export function tileBounds({ z, x, y }: Tile): { west: number; east: number; south: number; north: number } {
  const n = 2 ** z;
  const lat = (row: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / n))) * 180) / Math.PI;
  return { west: (x / n) * 360 - 180, east: ((x + 1) / n) * 360 - 180, north: lat(y), south: lat(y + 1) };
}

/**
 * ISO 4217 currencies whose minor unit is not a hundredth, by their number of digits (from Intl, the
 * same rule as `minorUnitDigits`): SQL divides `price_minor` by the right power of ten with them.
 */
function currenciesWithDigits(): { zero: string[]; three: string[] } {
  const supported = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  const all = supported ? supported("currency") : ["JPY", "KRW", "ISK", "CLP", "VND", "KWD", "BHD", "OMR", "JOD", "TND"];
  return {
    zero: all.filter((c) => minorUnitDigits(c) === 0),
    three: all.filter((c) => minorUnitDigits(c) === 3),
  };
}

let digits: { zero: string[]; three: string[] } | undefined;

function majorPrice(p: SqlParams, minor: string, currency: string): string {
  digits ??= currenciesWithDigits();
  return `(${minor})::float8 / CASE WHEN ${currency} = ANY(${p.add(digits.zero, "text[]")}) THEN 1
    WHEN ${currency} = ANY(${p.add(digits.three, "text[]")}) THEN 1000 ELSE 100 END`;
}

/** One statement that returns the tile as base64 text (`tile`), empty when nothing matches. */
export function buildTileQuery(filters: Filters, tile: Tile): SqlQuery {
  const p = new SqlParams();
  const b = tileBounds(tile);
  const n = p.add(2 ** tile.z, "float8");
  const tx = p.add(tile.x, "float8");
  const ty = p.add(tile.y, "float8");
  // Pixel coordinates inside the tile, y down (what ST_AsMVTGeom would produce, without the transform).
  const px = `((p.lng + 180) / 360 * ${n} - ${tx}) * ${EXTENT}`;
  const py = `((1 - ln(tan(radians(p.lat)) + 1 / cos(radians(p.lat))) / pi()) / 2 * ${n} - ${ty}) * ${EXTENT}`;
  const where = and([
    ...filterConditions(p, filters),
    `(p.location)::geometry && ST_MakeEnvelope(${p.add(b.west, "float8")}, ${p.add(b.south, "float8")}, ${p.add(b.east, "float8")}, ${p.add(b.north, "float8")}, 4326)`,
    // Half-open: a point on a shared edge belongs to the tile east or south of it (north of the
    // southmost row, which keeps its south edge).
    `p.lng >= ${p.add(b.west, "float8")}`,
    tile.x === 2 ** tile.z - 1 ? `p.lng <= ${p.add(b.east, "float8")}` : `p.lng < ${p.add(b.east, "float8")}`,
    `p.lat <= ${p.add(b.north, "float8")}`,
    tile.y === 2 ** tile.z - 1 ? `p.lat >= ${p.add(b.south, "float8")}` : `p.lat > ${p.add(b.south, "float8")}`,
  ]);
  // Whether the point is an area's centroid (docs/geocoding.md): the map draws those hollow.
  const approximate = `p.location_precision IN (${APPROXIMATE_PRECISIONS.map((x) => `'${x}'`).join(", ")})`;
  const rows = `SELECT p.id, p.price_minor, p.currency, p.property_type, coalesce(${approximate}, false) AS approximate,
      ${px} AS px, ${py} AS py FROM properties p WHERE ${where}`;

  if (tile.z > CLUSTER_MAX_ZOOM) {
    const features = `SELECT ST_MakePoint(round(r.px), round(r.py)) AS geom, r.id::text AS id,
        ${majorPrice(p, "r.price_minor", "r.currency")} AS price, r.currency, r.property_type AS type, r.approximate
      FROM (${rows}) r`;
    return {
      text: `SELECT translate(encode(coalesce(ST_AsMVT(f, '${POINT_LAYER}', ${EXTENT}, 'geom'), ''::bytea), 'base64'), E'\\n', '') AS tile
        FROM (${features}) f`,
      values: p.values,
    };
  }

  const cell = EXTENT / GRID;
  const rate = `(SELECT least(65536, ceil(65536 * ${SAMPLE_ROWS} / greatest(reltuples, 1)))::int FROM pg_class WHERE oid = 'properties'::regclass)`;
  // uuid_hash is the hash the uuid hash opclass uses: cheap and uniform over random ids.
  const cells = `SELECT least(${GRID - 1}, floor(r.px / ${cell}))::int AS cx, least(${GRID - 1}, floor(r.py / ${cell}))::int AS cy,
        r.currency, count(*)::int AS count, avg(r.px) AS px, avg(r.py) AS py,
        percentile_disc(0.5) WITHIN GROUP (ORDER BY r.price_minor) FILTER (WHERE (uuid_hash(r.id) & 65535) < s.rate) AS median_minor,
        CASE WHEN count(*) = 1 THEN min(r.id::text) END AS id,
        CASE WHEN count(*) = 1 THEN min(r.price_minor) END AS price_minor,
        CASE WHEN count(*) = 1 THEN min(r.property_type) END AS type,
        CASE WHEN count(*) = 1 THEN bool_or(r.approximate) END AS approximate
      FROM (${rows}) r, (SELECT ${rate} AS rate) s
      GROUP BY 1, 2, 3`;
  const features = `SELECT ST_MakePoint(round(c.px), round(c.py)) AS geom, c.count,
        ${majorPrice(p, "c.median_minor", "c.currency")} AS median_price, c.currency,
        c.id, ${majorPrice(p, "c.price_minor", "c.currency")} AS price, c.type, c.approximate
      FROM (${cells}) c`;
  return {
    text: `SELECT translate(encode(coalesce(ST_AsMVT(f, '${CLUSTER_LAYER}', ${EXTENT}, 'geom'), ''::bytea), 'base64'), E'\\n', '') AS tile
      FROM (${features}) f`,
    values: p.values,
  };
}
