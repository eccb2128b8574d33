/**
 * EXPLAIN check on a 200,000-row table: the search, radius, viewport, full-text and stats queries,
 * exactly as the API builds them, must use their indexes and read only a page's worth of rows,
 * including the planner traps of docs/query-design.md, cited below by number (dense viewport or
 * common word sorted newest first, rare word, NULL bedrooms under a minimum, geography vs geometry, stats).
 *
 * The rows live in a schema of their own (same columns and indexes as `public.properties`, copied
 * from the catalog) and are generated in SQL; the schema is dropped afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkSetupEnv, testEnv } from "../../../test/helpers";
import { cityCentre, syntheticPropertiesSql } from "../../../test/synthetic-properties";
import { getSql } from "../db";
import { buildFacetsQuery } from "./facets";
import { type FilterQuery, parseFilters } from "./params";
import { buildSearchQuery, type SearchPlan, WALK_BUDGET } from "./query";
import { type PlannerSettings, queryRows } from "./run";
import type { Cursor, SortName } from "./sort";
import type { SqlQuery } from "./sql";
import { buildStatsQuery, type GroupBy } from "./stats";
import { strategyFor, TERM_STATS_SQL, type TermStatsRow, termStatsFromRow, timestampMs } from "./strategy";
import { ROLLUP_MAX_ZOOM } from "./tile-rollup";
import { buildTileQuery, CLUSTER_MAX_ZOOM } from "./tiles";

const ROWS = 200_000;
const schema = `plans_${crypto.randomUUID().slice(0, 8)}`;

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  "Heap Fetches"?: number;
  Plans?: PlanNode[];
};

function nodes(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}

/** EXPLAIN ANALYZE in the test schema, through Neon HTTP (a transaction batch: SET LOCALs, then the query). */
async function explain(q: SqlQuery & { settings?: PlannerSettings }): Promise<PlanNode[]> {
  const settings = { search_path: `${schema}, public`, ...q.settings };
  const [rows] = await queryRowsIn<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>({
    text: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.text}`,
    values: q.values,
    settings,
  });
  const plan = rows?.["QUERY PLAN"][0]?.Plan as PlanNode;
  return nodes(plan).filter((n) => n["Actual Loops"] > 0);
}

const queryRowsIn = <T>(q: SqlQuery & { settings?: PlannerSettings }) => queryRows<T>(testEnv, q);

/** Scans of `properties` that ran, the indexes they used, and how many rows they looked at. */
function summary(executed: PlanNode[]) {
  const scans = executed.filter((n) => n["Relation Name"] === "properties");
  const examined = scans.reduce(
    (sum, n) =>
      sum +
      (n["Actual Rows"] + (n["Rows Removed by Filter"] ?? 0) + (n["Rows Removed by Index Recheck"] ?? 0)) * n["Actual Loops"],
    0,
  );
  const indexes = new Set(executed.map((n) => n["Index Name"]).filter(Boolean));
  return { scans: scans.map((n) => n["Node Type"]), indexes, examined };
}

async function termStats() {
  const [row] = await queryRowsIn<TermStatsRow>({
    text: TERM_STATS_SQL,
    values: [],
    settings: { search_path: `${schema}, public` },
  });
  return termStatsFromRow(row);
}

async function searchPlan(query: Partial<FilterQuery>, sort: SortName, limit = 20) {
  const filters = parseFilters(query as FilterQuery);
  const choice = strategyFor(filters, limit, filters.q ? await termStats() : undefined, { sort });
  return {
    strategy: choice.strategy,
    ...summary(await explain(buildSearchQuery({ filters, sort, limit, offset: 0, ...choice }))),
  };
}

const dense = cityCentre(0);
const sparse = cityCentre(57);
const box = (c: { lat: number; lng: number }, d: number) => [c.lng - d, c.lat - d, c.lng + d, c.lat + d].join(",");

describe(`query plans on ${ROWS.toLocaleString("en")} rows`, () => {
  beforeAll(async () => {
    const sql = getSql(bulkSetupEnv);
    await sql.query(`CREATE SCHEMA ${schema}`);
    await sql.query(
      `CREATE TABLE ${schema}.properties (LIKE public.properties INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING STORAGE)`,
    );
    await sql.query(syntheticPropertiesSql(`${schema}.properties`, ROWS));
    // The production indexes, statistics targets and table settings, copied after the load (faster than maintaining them row by row).
    await sql.query(`DO $$ DECLARE r record; BEGIN
      FOR r IN SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'properties' LOOP
        EXECUTE replace(r.indexdef, ' ON public.properties ', ' ON ${schema}.properties ');
      END LOOP;
      FOR r IN SELECT attname, attstattarget FROM pg_attribute
                WHERE attrelid = 'public.properties'::regclass AND attnum > 0 AND attstattarget <> -1 LOOP
        EXECUTE format('ALTER TABLE ${schema}.properties ALTER COLUMN %I SET STATISTICS %s', r.attname, r.attstattarget);
      END LOOP;
      EXECUTE 'ALTER TABLE ${schema}.properties SET (parallel_workers = 0)';
    END $$`);
    // The map tiles' rollup (migration 0016) of these rows, as its rebuild computes it.
    await sql.query(`CREATE TABLE ${schema}.tile_cells (LIKE public.tile_cells INCLUDING ALL)`);
    await sql.query(`CREATE TABLE ${schema}.tile_cell_changes (LIKE public.tile_cell_changes INCLUDING ALL)`);
    await sql.query(`DO $$ BEGIN
      EXECUTE 'INSERT INTO ${schema}.tile_cells ' || tile_cells_of(1, 'SELECT * FROM ${schema}.properties');
    END $$`);
    await sql.query(`VACUUM ANALYZE ${schema}.properties`);
    await sql.query(`VACUUM ANALYZE ${schema}.tile_cells`);
  }, 240_000);

  afterAll(async () => {
    await getSql(bulkSetupEnv).query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }, 60_000);

  it("ANALYZE keeps statistics for what queries filter, sort and group on, not for texts only returned", async () => {
    const rows = (await getSql(testEnv).query(`SELECT attname FROM pg_stats WHERE schemaname = $1 AND tablename = 'properties'`, [
      schema,
    ])) as Array<{ attname: string }>;
    const analysed = new Set(rows.map((r) => r.attname));
    for (const used of ["search_tsv", "listed_at", "city_key", "status", "price_minor", "bedrooms", "location", "country"])
      expect(analysed, used).toContain(used);
    for (const returned of ["title", "description", "street", "unit", "address_full", "attributes"])
      expect(analysed, returned).not.toContain(returned);
  });

  it("filtered list: the city index, a page of rows", async () => {
    const p = await searchPlan({ city: "City 0", min_price: 200000, max_price: 600000, min_bedrooms: 2 }, "price");
    expect(p.indexes).toContain("properties_city_status_price_idx");
    expect(p.scans).not.toContain("Seq Scan");
    expect(p.examined).toBeLessThan(200);
  });

  it("NULL bedrooms under a minimum: rejected in the index, not by visiting rows (P9)", async () => {
    const p = await searchPlan({ city: "Newcastle", min_bedrooms: 2 }, "price");
    expect(p.indexes).toContain("properties_city_status_price_idx");
    expect(p.examined).toBe(0);
  });

  it("radius, dense area, by distance: the geography GiST as a KNN scan that stops after a page (P1, P2)", async () => {
    const p = await searchPlan({ near: `${dense.lat},${dense.lng}`, radius_km: 10 }, "distance");
    expect(p.indexes).toContain("properties_location_gix");
    expect(p.scans).toContain("Index Scan");
    expect(p.scans).not.toContain("Seq Scan");
    // The page (21) plus the slack for ties at the cut (20); no count of the area.
    expect(p.examined).toBeLessThan(100);
  });

  it("radius, newest first: a small area is read cell by cell, index-only, a page per cell at most", async () => {
    const p = await searchPlan({ near: `${sparse.lat},${sparse.lng}`, radius_km: 5 }, "-listed_at");
    const empty = await searchPlan({ near: "0.5,0.5", radius_km: 5 }, "-listed_at");
    for (const plan of [p, empty]) {
      expect(plan.indexes).toContain("properties_status_cell_listed_idx");
      expect(plan.indexes).not.toContain("properties_status_listed_idx");
      expect(plan.scans).not.toContain("Seq Scan");
      expect(plan.scans).not.toContain("Bitmap Heap Scan");
    }
    expect(empty.examined).toBe(0);
    // 4 × 5 cells, each stopped after a page (21), plus the rows of the page fetched by id.
    expect(p.examined).toBeLessThan(20 * 21 * 3);
  });

  it("dense small viewport, newest first: each cell stops after a page, no walk, no GiST (P5)", async () => {
    const p = await searchPlan({ bbox: box(dense, 0.02) }, "-listed_at", 100);
    expect(p.indexes).toContain("properties_status_cell_listed_idx");
    expect(p.scans).toContain("Index Only Scan");
    expect(p.indexes).not.toContain("properties_status_listed_idx");
    expect(p.indexes).not.toContain("properties_location_geom_gix");
    expect(p.indexes).not.toContain("properties_location_gix");
    // At most 3 × 3 cells of 101 entries (plus the boundary cells' entries outside the box), then the page.
    expect(p.examined).toBeLessThan(9 * 101 * 3 + 101);
  });

  it("dense large viewport, newest first: an index-only walk of the date index that stops at a page (P5)", async () => {
    const p = await searchPlan({ bbox: box(dense, 0.15) }, "-listed_at");
    expect(p.strategy).toBe("spatial");
    expect(p.indexes).toContain("properties_status_listed_idx");
    expect(p.scans).toContain("Index Only Scan");
    // The fenced branch (GiST, then sort the whole area) does not run.
    expect(p.indexes).not.toContain("properties_location_geom_gix");
    expect(p.scans).not.toContain("Seq Scan");
    expect(p.examined).toBeLessThan(4000);
  });

  it("sparse viewport, newest first: never the geography GiST (P4)", async () => {
    const p = await searchPlan({ bbox: box(sparse, 0.05) }, "-listed_at");
    expect(p.indexes).not.toContain("properties_location_gix");
    expect(p.scans).not.toContain("Seq Scan");
    expect(p.examined).toBeLessThanOrEqual(WALK_BUDGET + 3000);
  });

  it("empty viewport with another filter, newest first: the walk gives up after its budget and the cells answer, index-only", async () => {
    const p = await searchPlan({ bbox: "0.5,0.5,0.55,0.55", listing_type: "sale" }, "-listed_at");
    expect(p.indexes).toContain("properties_status_listed_idx");
    expect(p.indexes).toContain("properties_status_cell_listed_idx");
    expect(p.scans.filter((s) => s !== "Index Only Scan" && s !== "Index Scan")).toEqual([]);
    expect(p.examined).toBeLessThanOrEqual(WALK_BUDGET);
  });

  it("a large empty viewport (more cells than the cell lookup is worth): the geometry GiST", async () => {
    const p = await searchPlan({ bbox: "0,0,5,5" }, "-listed_at");
    expect(p.indexes).toContain("properties_location_geom_gix");
    expect(p.indexes).not.toContain("properties_location_gix");
    expect(p.scans).not.toContain("Seq Scan");
    expect(p.examined).toBeLessThanOrEqual(WALK_BUDGET);
  });

  it("rare word, newest first: the GIN index, not a date walk (P6)", async () => {
    const p = await searchPlan({ q: "rare1234" }, "-listed_at");
    expect(p.strategy).toBe("fenced");
    expect(p.indexes).toContain("properties_search_gin");
    expect(p.examined).toBeLessThan(200);
  });

  it("middle-frequency word, newest first: the GIN bitmap ANDed with a window of the date index (P6)", async () => {
    // "often7" is in 1 row of 85: too many to fetch and sort, too few for a short walk.
    const p = await searchPlan({ q: "often7" }, "-listed_at");
    expect(p.strategy).toBe("windowed");
    expect(p.indexes).toContain("properties_search_gin");
    expect(p.indexes).toContain("properties_status_listed_idx");
    expect(p.scans).toContain("Bitmap Heap Scan");
    // The rows in both bitmaps (about 4 pages' worth), not the word's thousands of matches.
    expect(p.examined).toBeLessThan(400);
  });

  it("the window gives the same pages as fetching every match, and falls back when it holds less than a page", async () => {
    const filters = parseFilters({ q: "often7" } as FilterQuery);
    const base = { filters, sort: "-listed_at" as const, limit: 20, offset: 0 };
    const choice = strategyFor(filters, 20, await termStats(), { sort: "-listed_at" });
    expect(choice.strategy).toBe("windowed");
    const pageOf = async (plan: SearchPlan) => {
      const q = buildSearchQuery(plan);
      const rows = await queryRowsIn<{ id: string; _k: string; _g: "value" | "null" }>({
        ...q,
        settings: { search_path: `${schema}, public`, ...q.settings },
      });
      return rows;
    };
    const fenced1 = await pageOf({ ...base, strategy: "fenced" });
    expect(fenced1).toHaveLength(21);
    expect((await pageOf({ ...base, ...choice })).map((r) => r.id)).toEqual(fenced1.map((r) => r.id));
    // Page 2, after a cursor: the window starts below the cursor.
    const last = fenced1[19] as { id: string; _k: string };
    const cursor: Cursor = { sort: "-listed_at", segment: "value", key: last._k, id: last.id, fingerprint: "" };
    const choice2 = strategyFor(filters, 20, await termStats(), { sort: "-listed_at", cursor });
    expect(choice2.strategy).toBe("windowed");
    const fenced2 = await pageOf({ ...base, cursor, strategy: "fenced" });
    expect(fenced2).toHaveLength(21);
    expect((await pageOf({ ...base, cursor, ...choice2 })).map((r) => r.id)).toEqual(fenced2.map((r) => r.id));
    // Windows holding no match, or fewer than a page: the fallback answers, same rows.
    for (const since of ["2100-01-01T00:00:00.000Z", new Date(timestampMs(fenced1[5]?._k ?? "")).toISOString()]) {
      const short = await pageOf({ ...base, strategy: "windowed", window: { since, fallback: "walk" } });
      expect(short.map((r) => r.id)).toEqual(fenced1.map((r) => r.id));
    }
  });

  it("common word, newest first: a short date walk, not all GIN matches sorted (P6)", async () => {
    const p = await searchPlan({ q: "well" }, "-listed_at");
    expect(p.strategy).toBe("walk");
    expect(p.indexes).toContain("properties_status_listed_idx");
    expect(p.examined).toBeLessThan(500);
  });

  it("default search and price sort: their sort indexes", async () => {
    const newest = await searchPlan({}, "-listed_at");
    expect(newest.indexes).toContain("properties_status_listed_idx");
    expect(newest.examined).toBeLessThan(200);
    const cheapest = await searchPlan({}, "price");
    expect(cheapest.indexes).toContain("properties_price_id_idx");
    expect(cheapest.examined).toBeLessThan(200);
  });

  it.each<GroupBy>(["city", "month"])(
    "stats by %s for one country: an index-only scan of the covering index (P11)",
    async (groupBy) => {
      const filters = parseFilters({ country: "US", listing_type: "sale" } as FilterQuery);
      const executed = await explain({
        ...buildStatsQuery(filters, groupBy),
        settings: { jit: "off", max_parallel_workers_per_gather: "0" },
      });
      const scan = executed.find((n) => n["Relation Name"] === "properties");
      expect(scan?.["Node Type"]).toBe("Index Only Scan");
      expect(scan?.["Index Name"]).toBe("properties_stats_idx");
      expect(scan?.["Heap Fetches"]).toBeLessThan(1000);
      expect(executed.map((n) => n["Node Type"])).not.toContain("Gather");
    },
  );

  const n = (z: number) => 2 ** z;
  const denseTile = (z: number) => {
    const rad = (dense.lat * Math.PI) / 180;
    return {
      z,
      x: Math.floor(((dense.lng + 180) / 360) * n(z)),
      y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n(z)),
    };
  };

  it("map tiles: the cells of the tile through the geo_cell index, index-only with type and price filters, above the rollup's zooms", async () => {
    const filters = parseFilters({
      min_price: 1000,
      property_type: "house,apartment",
      listing_type: "sale",
    } as unknown as FilterQuery);
    for (const z of [ROLLUP_MAX_ZOOM + 1, CLUSTER_MAX_ZOOM, 16]) {
      const executed = await explain(buildTileQuery(filters, denseTile(z)));
      const s = summary(executed);
      expect(s.indexes, `z${z}`).toContain("properties_status_cell_listed_idx");
      expect(s.scans, `z${z}`).toEqual(s.scans.map(() => "Index Only Scan"));
      expect(s.indexes, `z${z}`).not.toContain("properties_location_geom_gix");
      // Every row of the tile examined once (with the cells' margins), none read from the heap.
      const fetched = executed.reduce((sum, node) => sum + (node["Heap Fetches"] ?? 0), 0);
      expect(fetched, `z${z}`).toBe(0);
      expect(s.examined, `z${z}`).toBeLessThanOrEqual(ROWS);
    }
    // A filter the index does not carry reads the heap rows of the tile only, still through the cells.
    const other = summary(
      await explain(buildTileQuery(parseFilters({ min_bedrooms: 2 } as unknown as FilterQuery), denseTile(10))),
    );
    expect(other.indexes, JSON.stringify([...other.indexes])).toContain("properties_status_cell_listed_idx");
    expect(other.scans).not.toContain("Seq Scan");
  });

  it("map tiles up to the rollup's zoom: the rollup's cells, and only the split price buckets' rows of the tile", async () => {
    for (const query of [
      { min_price: 1000, property_type: "house,apartment", listing_type: "sale" },
      // Bounds inside populated buckets: those buckets are counted from the properties.
      { min_price: 312345, max_price: 687654, status: "active,sold" },
      {},
    ]) {
      const filters = parseFilters(query as unknown as FilterQuery);
      for (const z of [0, 5, ROLLUP_MAX_ZOOM]) {
        const label = `z${z} ${JSON.stringify(query)}`;
        const executed = await explain(buildTileQuery(filters, denseTile(z)));
        expect(new Set(executed.map((n) => n["Index Name"]).filter(Boolean)), label).toContain("tile_cells_pkey");
        expect(
          executed.filter((n) => n["Relation Name"] === "tile_cells").map((n) => n["Node Type"]),
          label,
        ).not.toContain("Seq Scan");
        const s = summary(executed);
        expect(s.scans, label).toEqual(s.scans.map(() => "Index Only Scan"));
        if (query.min_price !== undefined) expect(s.indexes, label).toContain("properties_status_price_bucket_lat_idx");
        // Two price buckets of the tile at most (a bucket is 1/8 of a doubling of the price).
        expect(s.examined, label).toBeLessThan(ROWS / 10);
        // No heap visits of the properties (the rollup's fresh pages may not be all-visible yet while
        // other tests hold snapshots).
        const fetched = executed.filter((node) => node["Relation Name"] === "properties");
        expect(
          fetched.reduce((sum, node) => sum + (node["Heap Fetches"] ?? 0), 0),
          label,
        ).toBe(0);
      }
    }
  });

  it("facets for a city use the city index", async () => {
    const filters = parseFilters({ city: "City 3" } as FilterQuery);
    const s = summary(await explain(buildFacetsQuery(filters, ["property_type", "bedrooms"], 20)));
    expect(s.scans).not.toContain("Seq Scan");
    expect([...s.indexes].some((i) => i === "properties_city_status_price_idx")).toBe(true);
  });
});
