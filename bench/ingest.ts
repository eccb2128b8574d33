/**
 * Ingest throughput through `POST /api/v1/properties/batch`: new records, the same records
 * re-submitted unchanged, and the same records with changed prices; compared with COPY of as many
 * new rows into the same (indexed, loaded) table. Records are generated past the end of the loaded
 * table, so they are new to it.
 *
 * Each timed phase follows an untimed one of the same size (new records through the API, new rows
 * through COPY): the first writes after the load touch every index page for the first time since a
 * checkpoint and write it whole to the WAL, a cost a continuous ingest pays once per page and
 * checkpoint, not once per row. The CPU every process used during each phase is recorded too. Right
 * after the new records, the same write path's SQL runs straight against Postgres (its database floor).
 */
import pg from "pg";
import { factsBySqlName } from "../workers/src/pkg/properties/columns.ts";
import { copyProperties } from "./copy.ts";
import { type CpuSample, cpuBetween, sampleCpu } from "./cpu.ts";
import type { Datasets } from "./datasets.ts";
import type { SqlRecorder } from "./floor.ts";
import { type BenchProperty, generateProperty } from "./generator.ts";
import { prepareIngestFloor } from "./ingest-floor.ts";
import { runLoad } from "./load.ts";
import { rngFor } from "./random.ts";
import { type Latency, summarise } from "./stats.ts";

export type IngestPhase = {
  /** `new_sql`: the database floor of `new` (see ingest-floor.ts). */
  phase: "new" | "unchanged" | "changed_price" | "copy" | "new_sql";
  items: number;
  seconds: number;
  perSecond: number;
  batchLatency: Latency | null;
  errors: number;
  statusCounts: Record<string, number>;
  totals: Record<string, number>;
  errorBodies: string[];
  /**
   * Statements the Worker sent over Neon HTTP during the phase, per batch, and their Postgres time
   * (statements inside WebSocket transactions are not visible to the benchmark).
   */
  httpSqlPerBatch: { statements: number; ms: number } | null;
  /** CPU seconds each process group used during the phase (null where /proc is not readable). */
  cpuSeconds: CpuSample | null;
  /** WAL written during the phase: bytes, full-page images, and checkpoints that began. */
  wal: WalUse | null;
  /**
   * Autovacuum work seen during the phase (its Postgres CPU is in the phase's figure): each distinct
   * `autovacuum: VACUUM|ANALYZE table` an autovacuum worker was running when polled.
   */
  background: string[];
  /** Seconds the VACUUM (ANALYZE) of the written tables took right after the phase (not in its rate). */
  vacuumAfterSeconds: number;
};

type WalUse = { bytes: number; fullPageImages: number; checkpoints: number };

const WAL_SQL = `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS bytes, w.wal_fpi::float8 AS fpi,
  (b.checkpoints_timed + b.checkpoints_req)::float8 AS checkpoints FROM pg_stat_wal w, pg_stat_bgwriter b`;

const AUTOVACUUM_SQL = `SELECT DISTINCT regexp_replace(query, ' \\(to prevent wraparound\\)', '') AS work
  FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND query <> ''`;

/**
 * Polls the autovacuum workers until `done` settles. Autovacuum wakes on its own schedule: when it
 * works on a big table during a phase (an ANALYZE of `properties` is about 18 s of CPU at 1M
 * rows), that CPU is in the phase's Postgres figure, and the report has to say so.
 */
async function autovacuumDuring(db: pg.Client, done: Promise<unknown>): Promise<string[]> {
  const seen = new Set<string>();
  let finished = false;
  // Settles either way: the caller awaits `done` itself for its result or error.
  const stop = done.then(
    () => {
      finished = true;
    },
    () => {
      finished = true;
    },
  );
  while (!finished) {
    for (const row of (await db.query(AUTOVACUUM_SQL)).rows as Array<{ work: string }>) seen.add(row.work);
    await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, 250))]);
  }
  return [...seen].sort();
}

/**
 * Runs one timed phase and what it cost: wall seconds, the CPU of every process group, the WAL and
 * the autovacuum work that ran meanwhile. (The full-page-image count comes from the statistics
 * backends report; bytes from the WAL position.)
 */
async function measured<T>(db: pg.Client, run: () => Promise<T>) {
  const walBefore = (await db.query(WAL_SQL)).rows[0] as { bytes: number; fpi: number; checkpoints: number };
  const cpuBefore = sampleCpu();
  const t0 = performance.now();
  const running = run();
  const background = await autovacuumDuring(db, running);
  const result = await running;
  const seconds = (performance.now() - t0) / 1000;
  const cpuAfter = sampleCpu();
  // Backends report WAL statistics within a second of going idle.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const walAfter = (await db.query(WAL_SQL)).rows[0] as typeof walBefore;
  const wal: WalUse = {
    bytes: walAfter.bytes - walBefore.bytes,
    fullPageImages: walAfter.fpi - walBefore.fpi,
    checkpoints: walAfter.checkpoints - walBefore.checkpoints,
  };
  const vacuumAfterSeconds = await vacuumWritten(db);
  return {
    result,
    seconds,
    cpuSeconds: cpuBefore && cpuAfter ? cpuBetween(cpuBefore, cpuAfter) : null,
    wal,
    background,
    vacuumAfterSeconds,
  };
}

/**
 * The tables ingest writes. Autovacuum is off on them while the phases run, and each phase is followed by
 * their VACUUM (ANALYZE), timed apart: autovacuum wakes once a minute and takes up a table once enough of
 * it changed, so left on, its work (an ANALYZE of `properties` alone is seconds of CPU) lands in whichever
 * phase happens to be running then, and in runs of two codes the same work fell in different phases. The
 * work is real and grows with the rows written; it is reported per phase (`vacuumAfterSeconds`) instead.
 */
const WRITTEN_TABLES = ["properties", "property_sources", "property_events", "property_images", "tile_cell_changes"];

async function writtenTables(db: pg.Client): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    "SELECT t AS name FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL",
    [WRITTEN_TABLES],
  );
  return rows.map((r) => r.name);
}

async function setAutovacuum(db: pg.Client, enabled: boolean): Promise<void> {
  for (const t of await writtenTables(db)) await db.query(`ALTER TABLE ${t} SET (autovacuum_enabled = ${enabled})`);
}

async function vacuumWritten(db: pg.Client): Promise<number> {
  const t0 = performance.now();
  for (const t of await writtenTables(db)) await db.query(`VACUUM (ANALYZE) ${t}`);
  return (performance.now() - t0) / 1000;
}

/** A phase that wrote straight to Postgres (no HTTP: no batches, statuses or outcomes). */
function directPhase(
  phase: "copy" | "new_sql",
  items: number,
  { seconds, cpuSeconds, wal, background, vacuumAfterSeconds }: Awaited<ReturnType<typeof measured>>,
): IngestPhase {
  return {
    phase,
    items,
    seconds,
    perSecond: items / seconds,
    batchLatency: null,
    errors: 0,
    statusCounts: {},
    totals: {},
    errorBodies: [],
    httpSqlPerBatch: null,
    cpuSeconds,
    wal,
    background,
    vacuumAfterSeconds,
  };
}

/** The ingest API's item shape (mirrors the read API's item). */
export function ingestItem(p: BenchProperty, priceFactor = 1) {
  return {
    source: p.source,
    source_listing_id: p.sourceListingId,
    source_url: p.sourceUrl,
    property_type: p.propertyType,
    listing_type: p.listingType,
    status: p.status,
    title: p.title,
    description: p.description,
    price: p.priceMinor === null ? null : Math.round((p.priceMinor / 100) * priceFactor),
    currency: p.currency,
    ...factsBySqlName(p),
    address: { street: p.street, city: p.city, state: p.state, postal_code: p.postalCode, country: p.country },
    location: p.lat === null || p.lng === null ? null : { lat: p.lat, lng: p.lng },
    listed_at: p.listedAt.toISOString(),
    features: p.features,
    attributes: p.attributes,
  };
}

/** JSON without null members (optional fields are left out rather than sent as null). */
function compact(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v === null ? undefined : v));
}

export async function runIngest(options: {
  url: string;
  authorization: string;
  databaseUrl: string;
  data: Datasets;
  seed: number;
  firstRow: number;
  count: number;
  batchSize: number;
  connections: number;
  recorder: SqlRecorder;
  log: (line: string) => void;
}): Promise<IngestPhase[]> {
  const { data, seed, firstRow, count, batchSize, log } = options;
  const records = Array.from({ length: count }, (_, i) => generateProperty(data, seed, firstRow + i));
  // Rows past the measured ones: the untimed warm-up phases (API, then COPY) write these.
  const warmupFirst = firstRow + count;
  const copyWarmupFirst = warmupFirst + count;
  const copyFirst = copyWarmupFirst + count;
  const floorFirst = copyFirst + count;
  const rng = rngFor(seed, -2);
  const factors = records.map(() => rng.between(0.9, 0.99));
  const bodies = (factor: (i: number) => number, from: BenchProperty[] = records) => {
    const out: string[] = [];
    for (let i = 0; i < from.length; i += batchSize) {
      const items = from.slice(i, i + batchSize).map((p, k) => ingestItem(p, factor(i + k)));
      out.push(compact({ items }));
    }
    return out;
  };
  const post = (batchBodies: string[]) =>
    runLoad({
      url: options.url,
      method: "POST",
      paths: ["/api/v1/properties/batch"],
      bodies: batchBodies,
      headers: { authorization: options.authorization, "content-type": "application/json" },
      connections: options.connections,
      duration: 0,
      amount: batchBodies.length,
      timeoutSeconds: 120,
      collectTotals: true,
    });
  // The benchmark's own connection: the WAL and checkpoint counters, and the autovacuum polling.
  const db = new pg.Client(options.databaseUrl);
  await db.connect();
  await setAutovacuum(db, false);
  try {
    log(`ingest warm-up: ${count} new records, untimed …`);
    const warmup = Array.from({ length: count }, (_, i) => generateProperty(data, seed, warmupFirst + i));
    const warmed = await post(bodies(() => 1, warmup));
    if (warmed.errors > 0) log(`ingest warm-up: ${warmed.errors} failed batches`);
    await vacuumWritten(db);

    const apiPhase = async (phase: "new" | "unchanged" | "changed_price", batchBodies: string[]): Promise<IngestPhase> => {
      log(`ingest ${phase}: ${count} records in ${batchBodies.length} batches …`);
      options.recorder.start();
      const { result, cpuSeconds, wal, background, vacuumAfterSeconds } = await measured(db, () => post(batchBodies));
      const statements = options.recorder.stop();
      const ok = result.samples.filter((s) => s.status < 400);
      const batches = Math.max(1, batchBodies.length);
      return {
        phase,
        items: count,
        seconds: result.seconds,
        perSecond: count / result.seconds,
        batchLatency: ok.length ? summarise(ok.map((s) => s.end - s.start)) : null,
        errors: result.errors + result.samples.length - ok.length,
        statusCounts: result.statusCounts,
        totals: result.totals,
        errorBodies: result.errorBodies,
        httpSqlPerBatch: {
          statements: statements.length / batches,
          ms: statements.reduce((sum, q) => sum + q.ms, 0) / batches,
        },
        cpuSeconds,
        wal,
        background,
        vacuumAfterSeconds,
      };
    };

    // The same bodies twice: first as new records, then as identical re-submissions.
    const asSent = bodies(() => 1);
    const phases: IngestPhase[] = [await apiPhase("new", asSent)];

    // Right after `new`, on the table as `new` left it: every insert makes the indexes bigger (and, after
    // their bulk build, splits their pages), so a floor measured later would be measured on another table.
    log(`the same write path's SQL for ${count} more new records, straight to Postgres on ${options.connections} connections …`);
    const floorRecords = Array.from({ length: count }, (_, i) => generateProperty(data, seed, floorFirst + i));
    const floorBatches = bodies(() => 1, floorRecords).map((b) => (JSON.parse(b) as { items: unknown[] }).items);
    const floor = await prepareIngestFloor(options.databaseUrl, floorBatches, options.connections);
    phases.push(directPhase("new_sql", count, await measured(db, floor.run).finally(floor.close)));

    phases.push(await apiPhase("unchanged", asSent));
    phases.push(
      await apiPhase(
        "changed_price",
        bodies((i) => factors[i] ?? 1),
      ),
    );

    log(`COPY ${count} new rows into the loaded table (after ${count} untimed) …`);
    const client = new pg.Client(options.databaseUrl);
    await client.connect();
    try {
      const generate = (n: number) => generateProperty(data, seed, n);
      await copyProperties(client, copyWarmupFirst, copyWarmupFirst + count, generate);
      phases.push(
        directPhase("copy", count, await measured(db, () => copyProperties(client, copyFirst, copyFirst + count, generate))),
      );
    } finally {
      await client.end();
    }

    return phases;
  } finally {
    await setAutovacuum(db, true).catch(() => {});
    await db.end();
  }
}
