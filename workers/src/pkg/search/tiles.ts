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
 * (of the geocoded properties). Rows are found through the `location::geometry` GiST index (docs/query-design.md "P4");
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
import { currenciesByMinorDigits } from "../money/minor-units";
import { filterConditions } from "./filters";
import type { Filters } from "./params";
import { and, SqlParams, type SqlQuery } from "./sql";
import { rollupCells, rollupServes } from "./tile-rollup";

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

function majorPrice(p: SqlParams, minor: string, currency: string): string {
  const digits = currenciesByMinorDigits();
  return `(${minor})::float8 / CASE WHEN ${currency} = ANY(${p.add(digits.zero, "text[]")}) THEN 1
    WHEN ${currency} = ANY(${p.add(digits.three, "text[]")}) THEN 1000 ELSE 100 END`;
}

/** Side of a `geo_cell` (migration 0005) in degrees, and cells per row of the grid. */
const CELL_DEG = 0.025;
const CELLS_PER_ROW = 14_400;

/**
 * The rows of the tile: the search's filters and the tile's half-open edges, read through the
 * `geo_cell` index one row of cells at a time (each row a range of the index). The index carries
 * what a tile reads (migration 0013), so with filters on status, listing or property type and price
 * the scan is index-only; any other filter is checked on the heap rows of the tile only.
 */
function tileRows(p: SqlParams, filters: Filters, tile: Tile, columns: string): string {
  const b = tileBounds(tile);
  const last = 2 ** tile.z - 1;
  // One cell of margin on each side: the edges are tested exactly on the coordinates below.
  const r0 = Math.floor((b.south + 90) / CELL_DEG) - 1;
  const r1 = Math.floor((b.north + 90) / CELL_DEG) + 1;
  const c0 = Math.floor((b.west + 180) / CELL_DEG) - 1;
  const c1 = Math.floor((b.east + 180) / CELL_DEG) + 1;
  const where = and([
    ...filterConditions(p, filters),
    `geo_cell(p.lng, p.lat) BETWEEN g.r * ${CELLS_PER_ROW} + ${p.add(c0, "int")} AND g.r * ${CELLS_PER_ROW} + ${p.add(c1, "int")}`,
    // Half-open: a point on a shared edge belongs to the tile east or south of it (north of the
    // southmost row, which keeps its south edge).
    `p.lng >= ${p.add(b.west, "float8")}`,
    tile.x === last ? `p.lng <= ${p.add(b.east, "float8")}` : `p.lng < ${p.add(b.east, "float8")}`,
    `p.lat <= ${p.add(b.north, "float8")}`,
    tile.y === last ? `p.lat >= ${p.add(b.south, "float8")}` : `p.lat > ${p.add(b.south, "float8")}`,
  ]);
  // OFFSET 0 keeps the subquery a per-row-of-cells scan: flattened, the planner may instead read every
  // row matching a filter the index does not carry (a bitmap of all active rows) and join the cells
  // afterwards. Unused columns of the subquery are still pruned, so the scan stays index-only.
  return `SELECT ${columns} FROM generate_series(${p.add(r0, "int")}, ${p.add(r1, "int")}) AS g(r)
      CROSS JOIN LATERAL (SELECT p.* FROM properties p WHERE ${where} OFFSET 0) p`;
}

/** Web Mercator pixel coordinates inside the tile, y down (what ST_AsMVTGeom would produce). */
function pixel(p: SqlParams, tile: Tile, lng: string, lat: string): { px: string; py: string } {
  const n = p.add(2 ** tile.z, "float8");
  return {
    px: `((${lng} + 180) / 360 * ${n} - ${p.add(tile.x, "float8")}) * ${EXTENT}`,
    py: `((1 - ln(tan(radians(${lat})) + 1 / cos(radians(${lat}))) / pi()) / 2 * ${n} - ${p.add(tile.y, "float8")}) * ${EXTENT}`,
  };
}

function mvt(layer: string, features: string): string {
  return `SELECT translate(encode(coalesce(ST_AsMVT(f, '${layer}', ${EXTENT}, 'geom'), ''::bytea), 'base64'), E'\\n', '') AS tile
    FROM (${features}) f`;
}

/** One statement that returns the tile as base64 text (`tile`), empty when nothing matches. */
export function buildTileQuery(filters: Filters, tile: Tile): SqlQuery {
  const p = new SqlParams();
  // Whether the point is an area's centroid (docs/geocoding.md): the map draws those hollow.
  const approximate = `coalesce(p.location_precision IN (${APPROXIMATE_PRECISIONS.map((x) => `'${x}'`).join(", ")}), false)`;

  if (tile.z > CLUSTER_MAX_ZOOM) {
    const rows = tileRows(
      p,
      filters,
      tile,
      `p.id, p.price_minor, p.currency, p.property_type, ${approximate} AS approximate, p.lng, p.lat`,
    );
    const { px, py } = pixel(p, tile, "r.lng", "r.lat");
    const features = `SELECT ST_MakePoint(round(${px}), round(${py})) AS geom, r.id::text AS id,
        ${majorPrice(p, "r.price_minor", "r.currency")} AS price, r.currency, r.property_type AS type, r.approximate
      FROM (${rows}) r`;
    return { text: mvt(POINT_LAYER, features), values: p.values };
  }

  const cells = rollupServes(filters, tile.z)
    ? rollupCells(p, filters, tile, approximate)
    : rowCells(p, filters, tile, approximate);
  const { px, py } = pixel(p, tile, "c.lng", "c.lat");
  const features = `SELECT ST_MakePoint(round(${px}), round(${py})) AS geom, c.count,
        ${majorPrice(p, "c.median_minor", "c.currency")} AS median_price, c.currency,
        c.id, ${majorPrice(p, "c.price_minor", "c.currency")} AS price, c.type, c.approximate
      FROM (${cells}) c`;
  return { text: mvt(CLUSTER_LAYER, features), values: p.values };
}

/** The row path of a cluster tile: the tile's properties, grouped into cells and currencies. */
function rowCells(p: SqlParams, filters: Filters, tile: Tile, approximate: string): string {
  // The cell of a row without a transform per row: columns are linear in longitude; rows are found
  // among the latitudes of the grid's inner edges (ascending, so bucket 0 is the southmost row).
  const b = tileBounds(tile);
  const n = 2 ** tile.z;
  const latOfRow = (row: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / n))) * 180) / Math.PI;
  // Inner edge j (1 … GRID-1, counted from the north), listed south to north.
  const edges = Array.from({ length: GRID - 1 }, (_, i) => latOfRow(tile.y + (GRID - 1 - i) / GRID));
  const cx = `least(${GRID - 1}, floor((p.lng - ${p.add(b.west, "float8")}) * ${p.add(GRID / (b.east - b.west), "float8")}))::int`;
  const cy = `(${GRID - 1} - width_bucket(p.lat, ${p.add(edges, "float8[]")}))`;
  const rate = `(SELECT least(65536, ceil(65536 * ${SAMPLE_ROWS} / greatest(reltuples, 1)))::int FROM pg_class WHERE oid = 'properties'::regclass)`;
  // uuid_hash is the hash the uuid hash opclass uses: cheap and uniform over random ids.
  const rows = tileRows(
    p,
    filters,
    tile,
    `${cx} AS cx, ${cy} AS cy, p.currency, p.id, p.price_minor, p.property_type,
      ${approximate} AS approximate, p.lng, p.lat, (uuid_hash(p.id) & 65535) < ${rate} AS sampled`,
  );
  // Counts and positions by hashing (no sort of the tile's rows); the median sorts the sample only; a
  // cell of one property is looked up again for its details.
  const cells = `WITH r AS MATERIALIZED (${rows}),
      c AS (SELECT r.cx, r.cy, r.currency, count(*)::int AS count, avg(r.lng) AS lng, avg(r.lat) AS lat FROM r GROUP BY 1, 2, 3),
      m AS (SELECT r.cx, r.cy, r.currency, percentile_disc(0.5) WITHIN GROUP (ORDER BY r.price_minor) AS median_minor
              FROM r WHERE r.sampled GROUP BY 1, 2, 3)
    SELECT c.*, m.median_minor, one.id::text AS id, one.price_minor, one.property_type AS type, one.approximate
      FROM c
      LEFT JOIN m ON m.cx = c.cx AND m.cy = c.cy AND m.currency = c.currency
      LEFT JOIN r one ON c.count = 1 AND one.cx = c.cx AND one.cy = c.cy AND one.currency = c.currency`;
  return cells;
}
