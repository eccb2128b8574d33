/**
 * Cluster tiles from the `tile_cells` rollup (migration 0016): a tile of zoom ≤ ROLLUP_MAX_ZOOM whose
 * filters the rollup has dimensions for sums the rollup rows of its 64 cells instead of counting its
 * properties (1.3 s at z5 over the densest city of a 1M table, docs/api-search.md "Map tiles").
 *
 * Exact: the rollup counts every property in the cell of every level (the write path appends each
 * change to `tile_cell_changes` at the finest level, migration 0020, read here too, in the same
 * snapshot, and summed into this zoom's cells), so the counts of a zoom's tiles
 * still add up to the search's `total`. A price bound that falls inside a price bucket splits it: that
 * bucket is not read from the rollup but counted from the properties of the bucket in the tile's cells
 * (one range of `properties_status_price_bucket_lat_idx`).
 *
 * Approximate: the median comes from the cell's price histogram (8 buckets per doubling of the price),
 * interpolated inside the bucket that holds the middle property; it is within that bucket, about 9 %.
 *
 * Any other filter (city, full text, bedrooms, a map area, …) is answered from the properties by the
 * row path of `tiles.ts`.
 */
import { filterConditions, priceBoundMinor } from "./filters";
import type { Filters } from "./params";
import { and, type SqlParams } from "./sql";

/** The rollup serves tiles up to this zoom: its finest cells (level 13) are the cells of a z10 tile. */
export const ROLLUP_MAX_ZOOM = 10;
/** The rollup's finest cells: the cells of a tile of ROLLUP_MAX_ZOOM (migration 0016). */
const FINEST_LEVEL = 13;
/** Cells per tile side (the same grid as the row path) as a power of two: a tile of zoom z has the cells of level z + 3. */
const GRID_SHIFT = 3;

/** Whether the rollup can answer a tile with these filters exactly. */
export function rollupServes(filters: Filters, z: number): boolean {
  if (z > ROLLUP_MAX_ZOOM) return false;
  const {
    statuses: _s,
    listingTypes: _l,
    propertyTypes: _t,
    countries: _c,
    minPrice: _min,
    maxPrice: _max,
    priceCurrency: _priceCurrency,
    geo,
    ...others
  } = filters;
  if (geo.near || geo.bbox || geo.polygon) return false;
  return Object.values(others).every((v) => v === undefined);
}

/** The price bucket of a price in minor units, as `tile_price_bucket` computes it in SQL (migration 0016). */
export function priceBucket(priceMinor: number): number {
  if (priceMinor < 8) return Math.max(0, Math.trunc(priceMinor));
  const bits = BigInt(Math.trunc(priceMinor)).toString(2);
  return 8 * (bits.length - 1) + Number.parseInt(bits.slice(0, 4), 2) - 8;
}

function oneOf(p: SqlParams, column: string, values: string[], elementType = "text"): string {
  return values.length === 1
    ? `${column} = ${p.add(values[0], elementType)}`
    : `${column} = ANY(${p.add(values, `${elementType}[]`)})`;
}

type TileXY = { z: number; x: number; y: number };

/**
 * The tile's cells as rows `cx, cy, currency, count, lng, lat, median_minor, id, price_minor, type,
 * approximate` (the last four only for a cell of one property), the same columns the row path gives.
 */
export function rollupCells(p: SqlParams, filters: Filters, tile: TileXY, approximate: string): string {
  const level = tile.z + GRID_SHIFT;
  const side = 1 << GRID_SHIFT;
  const cx0 = tile.x * side;
  const cy0 = tile.y * side;
  const L = p.add(level, "int");
  const minMinor = filters.minPrice === undefined ? undefined : priceBoundMinor(filters.minPrice, filters.priceCurrency);
  const maxMinor = filters.maxPrice === undefined ? undefined : priceBoundMinor(filters.maxPrice, filters.priceCurrency);
  const minBucket = minMinor === undefined ? undefined : priceBucket(minMinor);
  const maxBucket = maxMinor === undefined ? undefined : priceBucket(maxMinor);

  // The rollup's rows: whole buckets only (a bucket a bound falls in is counted from the rows below).
  const columns = [
    oneOf(p, "t.status", filters.statuses),
    filters.listingTypes && oneOf(p, "t.listing_type", filters.listingTypes),
    filters.propertyTypes && oneOf(p, "t.property_type", filters.propertyTypes),
    filters.countries && oneOf(p, "t.country", filters.countries, "bpchar"),
    (minBucket !== undefined || maxBucket !== undefined) && "t.price_bucket >= 0",
    minBucket !== undefined && `t.price_bucket > ${p.add(minBucket, "smallint")}`,
    maxBucket !== undefined && `t.price_bucket < ${p.add(maxBucket, "smallint")}`,
  ];
  const rollupWhere = and([
    `t.level = ${L}`,
    `t.cx = ANY(${p.add(
      Array.from({ length: side }, (_, i) => cx0 + i),
      "int[]",
    )})`,
    `t.cy BETWEEN ${p.add(cy0, "int")} AND ${p.add(cy0 + side - 1, "int")}`,
    ...columns,
  ]);
  const fromRollup = `SELECT t.cx, t.cy, t.currency COLLATE "C", t.price_bucket, t.n, t.sx, t.sy FROM tile_cells t WHERE ${rollupWhere}`;
  // Changes not folded yet are rows of the finest level (migration 0020): a cell of this level is the
  // finest cells whose coordinates shifted right by the difference of the levels equal its own.
  const shift = FINEST_LEVEL - level;
  const changesWhere = and([
    `t.level = ${FINEST_LEVEL}`,
    `t.cx BETWEEN ${p.add(cx0 << shift, "int")} AND ${p.add(((cx0 + side) << shift) - 1, "int")}`,
    `t.cy BETWEEN ${p.add(cy0 << shift, "int")} AND ${p.add(((cy0 + side) << shift) - 1, "int")}`,
    ...columns,
  ]);
  const fromChanges = `SELECT t.cx >> ${shift}, t.cy >> ${shift}, t.currency COLLATE "C", t.price_bucket, t.n, t.sx, t.sy
      FROM tile_cell_changes t WHERE ${changesWhere}`;

  // The split buckets, from the properties: every filter (both price bounds included), the bucket, and
  // the tile's cells. The index leads with status and bucket, then latitude: one range over the tile's
  // latitudes (a micro-degree of margin, plain comparisons first), then the cells' own test decides.
  const splitBuckets = [...new Set([minBucket, maxBucket].filter((b): b is number => b !== undefined))];
  const n = 2 ** tile.z;
  const latOf = (row: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / n))) * 180) / Math.PI;
  const fromRows = splitBuckets.map((bucket) => {
    const where = and([
      ...filterConditions(p, { ...filters, minPrice: undefined, maxPrice: undefined }),
      // The bounds as conditions no index can take (\`+ 0\`): the price index would be ANDed in as a
      // bitmap of every property in the price range.
      minMinor !== undefined && `p.price_minor + 0 >= ${p.add(minMinor, "bigint")}`,
      maxMinor !== undefined && `p.price_minor + 0 <= ${p.add(maxMinor, "bigint")}`,
      `tile_price_bucket(p.price_minor) = ${p.add(bucket, "smallint")}`,
      `p.lng BETWEEN ${p.add((tile.x / n) * 360 - 180 - 1e-6, "float8")} AND ${p.add(((tile.x + 1) / n) * 360 - 180 + 1e-6, "float8")}`,
      `p.lat BETWEEN ${p.add(latOf(tile.y + 1) - 1e-6, "float8")} AND ${p.add(latOf(tile.y) + 1e-6, "float8")}`,
      `tile_cell_x(${L}, p.lng) BETWEEN ${p.add(cx0, "int")} AND ${p.add(cx0 + side - 1, "int")}`,
      `tile_cell_y(${L}, p.lat) BETWEEN ${p.add(cy0, "int")} AND ${p.add(cy0 + side - 1, "int")}`,
    ]);
    return `SELECT tile_cell_x(${L}, p.lng), tile_cell_y(${L}, p.lat), p.currency COLLATE "C", ${p.add(bucket, "smallint")}, 1,
        round(p.lng * 1e7)::bigint, round(p.lat * 1e7)::bigint
      FROM properties p WHERE ${where}`;
  });

  // The median: the bucket holding the middle priced property, interpolated on a log scale inside it,
  // kept within the price bounds of the search.
  const low = "tile_price_bucket_low(h.price_bucket)::float8";
  const high = "tile_price_bucket_low(h.price_bucket + 1)::float8";
  const frac = "((h.priced / 2.0 - h.before) / h.n)";
  let median = `CASE WHEN ${low} = 0 THEN 0 ELSE exp(ln(${low}) + ${frac} * (ln(${high}) - ln(${low}))) END`;
  if (minMinor !== undefined) median = `greatest(${median}, ${p.add(minMinor, "float8")})`;
  if (maxMinor !== undefined) median = `least(${median}, ${p.add(maxMinor, "float8")})`;

  // A cell of one property: that property, at the cell's exact position (the coordinate sums of one
  // row), looked up in the geo cells around it with the search's filters.
  const single = and([
    "c.count = 1",
    ...filterConditions(p, filters),
    "p.currency = c.currency",
    `geo_cell(p.lng, p.lat) IN (geo_cell(c.sx / 1e7 - 1e-6, c.sy / 1e7 - 1e-6), geo_cell(c.sx / 1e7 + 1e-6, c.sy / 1e7 - 1e-6),
       geo_cell(c.sx / 1e7 - 1e-6, c.sy / 1e7 + 1e-6), geo_cell(c.sx / 1e7 + 1e-6, c.sy / 1e7 + 1e-6))`,
    "round(p.lng * 1e7) = c.sx",
    "round(p.lat * 1e7) = c.sy",
  ]);

  return `WITH r (cx, cy, currency, price_bucket, n, sx, sy) AS (
      ${[fromRollup, fromChanges, ...fromRows].join("\n      UNION ALL ")}
    ), b AS (
      SELECT cx, cy, currency, price_bucket, sum(n)::int AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy
        FROM r GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0
    ), h AS (
      SELECT b.*,
             coalesce(sum(n) FILTER (WHERE price_bucket >= 0) OVER (PARTITION BY cx, cy, currency ORDER BY price_bucket), 0) - n AS before,
             sum(n) FILTER (WHERE price_bucket >= 0) OVER (PARTITION BY cx, cy, currency) AS priced
        FROM b
    ), c AS (
      SELECT h.cx, h.cy, h.currency, sum(h.n)::int AS count, sum(h.sx)::bigint AS sx, sum(h.sy)::bigint AS sy,
             min(round(${median})) FILTER (WHERE h.price_bucket >= 0 AND h.before < h.priced / 2.0 AND h.before + h.n >= h.priced / 2.0)
               AS median_minor
        FROM h GROUP BY 1, 2, 3
    )
    SELECT c.cx, c.cy, c.currency, c.count, c.sx::float8 / c.count / 1e7 AS lng, c.sy::float8 / c.count / 1e7 AS lat, c.median_minor,
           one.id::text AS id, one.price_minor, one.property_type AS type, one.approximate
      FROM c
      LEFT JOIN LATERAL (
        SELECT p.id, p.price_minor, p.property_type, ${approximate} AS approximate FROM properties p WHERE ${single} LIMIT 1
      ) one ON true`;
}
