/**
 * Builds the benchmark data set in a fresh database: the project's migrations (the REAL schema, with
 * every index the migrations create), then a bulk load the fast way: secondary indexes dropped, rows
 * COPYed in parallel streams, indexes rebuilt from their own definitions, VACUUM (ANALYZE) for the
 * visibility map and statistics, and pg_prewarm so measurements start from RAM (docs/query-design.md "Measurement method").
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { loadCarriedGazetteer } from "../db/gazetteer.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { copyProperties } from "./copy.ts";
import type { Datasets } from "./datasets.ts";
import { generateProperty } from "./generator.ts";

export type LoadReport = {
  rows: number;
  copySeconds: number;
  copyRowsPerSecond: number;
  streams: number;
  indexes: Array<{ name: string; seconds: number; bytes: number }>;
  vacuumAnalyzeSeconds: number;
  /** REFRESH MATERIALIZED VIEW CONCURRENTLY of the stats rollup, as its cron runs it. */
  rollupRefreshSeconds: number;
  /** The place box's view (`places`), refreshed by the same cron. */
  placesRefreshSeconds: number;
  /** The map tiles' rollup (`tile_cells_rebuild`, migration 0016), rebuilt after the load like an index. */
  tileCellsRebuildSeconds?: number;
  tableBytes: number;
  toastBytes: number;
  indexBytes: number;
  /** The table was loaded by an earlier run into the same data folder (its load figures are that run's). */
  reused?: boolean;
};

const BIG_TABLES = ["properties", "property_sources"];

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await fn();
  return [result, (performance.now() - t0) / 1000];
}

export async function loadBenchData(
  databaseUrl: string,
  data: Datasets,
  options: { size: number; seed: number; streams: number; log: (line: string) => void; dataDir?: string },
): Promise<LoadReport> {
  const { size, seed, log } = options;
  await migrateDatabase(databaseUrl);
  // A kept data folder remembers what was loaded into it (--data-dir): the same size and seed reuse it.
  const marker = options.dataDir ? join(options.dataDir, "bench-load.json") : null;
  if (marker && existsSync(marker)) {
    const kept = JSON.parse(readFileSync(marker, "utf8")) as { size: number; seed: number; report: LoadReport };
    if (kept.size !== size || kept.seed !== seed) {
      throw new Error(`${options.dataDir} holds ${kept.size} rows of seed ${kept.seed}: use another --data-dir`);
    }
    log(`reusing the ${size.toLocaleString("en")} properties loaded in ${options.dataDir}`);
    await prewarm(databaseUrl);
    return { ...kept.report, reused: true };
  }
  const report = await loadFresh(databaseUrl, data, options);
  if (marker) writeFileSync(marker, JSON.stringify({ size, seed, report }));
  return report;
}

/** Reads the big tables and their indexes into shared buffers, so measurements start from RAM. */
async function prewarm(databaseUrl: string): Promise<void> {
  const admin = new pg.Client(databaseUrl);
  await admin.connect();
  try {
    await admin.query(
      `SELECT pg_prewarm(c.oid) FROM pg_class c
        WHERE c.relname = ANY($1) OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = ANY($1::regclass[]))
           OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relname = ANY($1))`,
      [BIG_TABLES],
    );
  } finally {
    await admin.end();
  }
}

async function loadFresh(
  databaseUrl: string,
  data: Datasets,
  options: { size: number; seed: number; streams: number; log: (line: string) => void },
): Promise<LoadReport> {
  const { size, seed, streams, log } = options;
  const admin = new pg.Client(databaseUrl);
  await admin.connect();
  try {
    await admin.query("CREATE EXTENSION IF NOT EXISTS pg_prewarm");
    // Every secondary index (not the primary keys, which foreign keys depend on) is dropped for the
    // load and rebuilt from its own definition afterwards, so the benchmark always measures exactly the
    // indexes the migrations create.
    const { rows: indexDefs } = await admin.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def
         FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        ORDER BY i.tablename, i.indexname`,
      [BIG_TABLES],
    );
    for (const { name } of indexDefs) await admin.query(`DROP INDEX "${name}"`);

    // The map tiles' rollup is rebuilt after the load, as the indexes are (its triggers keep it per write).
    await admin.query("ALTER TABLE properties DISABLE TRIGGER USER");
    log(`COPY ${size.toLocaleString("en")} properties in ${streams} stream(s) …`);
    const [, copySeconds] = await timed(() =>
      Promise.all(
        Array.from({ length: streams }, async (_, s) => {
          const from = 1 + Math.floor((size * s) / streams);
          const to = 1 + Math.floor((size * (s + 1)) / streams);
          const client = new pg.Client(databaseUrl);
          await client.connect();
          try {
            await copyProperties(client, from, to, (n) => generateProperty(data, seed, n));
          } finally {
            await client.end();
          }
        }),
      ),
    );
    log(`COPY done in ${copySeconds.toFixed(1)} s (${Math.round(size / copySeconds)} rows/s)`);

    await admin.query("SET maintenance_work_mem = '1GB'");
    const indexes: LoadReport["indexes"] = [];
    for (const { name, def } of indexDefs) {
      const [, seconds] = await timed(() => admin.query(def));
      const { rows } = await admin.query<{ bytes: string }>("SELECT pg_relation_size($1::regclass) AS bytes", [name]);
      indexes.push({ name, seconds, bytes: Number(rows[0]?.bytes ?? 0) });
      log(`index ${name}: ${seconds.toFixed(1)} s`);
    }
    await admin.query("ALTER TABLE properties ENABLE TRIGGER USER");
    const [, tileCellsRebuildSeconds] = await timed(() => admin.query("SELECT tile_cells_rebuild()"));
    log(`tile cells rebuilt in ${tileCellsRebuildSeconds.toFixed(1)} s`);
    await admin.query("VACUUM (ANALYZE) tile_cells");
    const [, vacuumAnalyzeSeconds] = await timed(async () => {
      for (const t of BIG_TABLES) await admin.query(`VACUUM (ANALYZE) ${t}`);
    });
    // What the 10-minute cron does in production (workers/src/pkg/search/stats-rollup.ts).
    const [, rollupRefreshSeconds] = await timed(() => admin.query("REFRESH MATERIALIZED VIEW CONCURRENTLY property_stats_city"));
    log(`stats rollup refreshed in ${rollupRefreshSeconds.toFixed(1)} s`);
    // The place box's view (migration 0013) reads the gazetteer too, as `npm start` loads it.
    log(`gazetteer loaded: ${await loadCarriedGazetteer(databaseUrl)} places`);
    // Vacuumed here like the other loaded tables: otherwise autovacuum takes up the freshly loaded
    // gazetteer during the first timed phase and its CPU counts against ingest.
    await admin.query("VACUUM (ANALYZE) gazetteer_places");
    const [, placesRefreshSeconds] = await timed(() => admin.query("REFRESH MATERIALIZED VIEW CONCURRENTLY places"));
    await admin.query("VACUUM (ANALYZE) places");
    log(`places refreshed in ${placesRefreshSeconds.toFixed(1)} s`);
    await prewarm(databaseUrl);
    const { rows: sizes } = await admin.query<{ heap: string; toast: string; idx: string }>(
      `SELECT pg_relation_size('properties') AS heap,
              coalesce(pg_total_relation_size(reltoastrelid), 0) AS toast,
              pg_indexes_size('properties') AS idx
         FROM pg_class WHERE relname = 'properties'`,
    );
    return {
      rows: size,
      copySeconds,
      copyRowsPerSecond: size / copySeconds,
      streams,
      indexes,
      vacuumAnalyzeSeconds,
      rollupRefreshSeconds,
      placesRefreshSeconds,
      tileCellsRebuildSeconds,
      tableBytes: Number(sizes[0]?.heap ?? 0),
      toastBytes: Number(sizes[0]?.toast ?? 0),
      indexBytes: Number(sizes[0]?.idx ?? 0),
    };
  } finally {
    await admin.end();
  }
}
