/**
 * `npm run bench`: builds a realistic data set (default 1M properties) from the real data sets in
 * ../shared/datasets, serves the real Worker on it with `wrangler dev`, and measures the read mix
 * (cold and warm), the Postgres floor of the same SQL, ingest throughput and the query plans.
 * Results: bench/results/<size>.md + .json + plans/. See docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import os from "node:os";
import { join } from "node:path";
import pg from "pg";
import { loadDatasets } from "../bench/datasets.ts";
import { runDistanceBench } from "../bench/distance.ts";
import { type DriverFloorWorker, driverFloorBody, startDriverFloor } from "../bench/driver-floor.ts";
import { attribute, explainRequests, FloorReplayer, type FloorResult, floorClient, SqlRecorder } from "../bench/floor.ts";
import { runIngest } from "../bench/ingest.ts";
import { type LoadResult, runLoad } from "../bench/load.ts";
import { loadBenchData } from "../bench/load-data.ts";
import { machineFacts } from "../bench/machine.ts";
import { buildMix, type QuerySpec, sampleMixParams } from "../bench/mix.ts";
import { parseOptions } from "../bench/options.ts";
import { rngFor } from "../bench/random.ts";
import { type BenchReport, markdown, type Overheads, type QueryResult, type RunResult } from "../bench/report.ts";
import { type Latency, summarise } from "../bench/stats.ts";
import { startWorker } from "../bench/worker.ts";
import { displayPrefix, generateApiToken, sha256Hex } from "../workers/src/pkg/auth/api-token.ts";
import { generateJwtKeys } from "./local/jwt-keys.ts";
import { startServices } from "./local/services.ts";

const options = parseOptions(process.argv.slice(2));
if (!options) process.exit(0);
const log = (line: string) => console.log(`bench ${new Date().toISOString().slice(11, 19)} ${line}`);

// The reads under simulated distance need no private data set: a synthetic one of their own.
if (options.distance) {
  mkdirSync(options.out, { recursive: true });
  await runDistanceBench(options.out, log);
  process.exit(0);
}

// Saved-search matching has its own synthetic data and needs none of the data sets (bench/matching.ts).
if (options.only.includes("matching")) {
  const { runMatchingBench } = await import("../bench/matching.ts");
  const { migrateDatabase } = await import("../db/migrate.ts");
  const matching = await startServices({
    log,
    postgresSettings: { shared_buffers: "1GB", work_mem: "64MB", random_page_cost: "1.1" },
  });
  try {
    await migrateDatabase(matching.env.DATABASE_URL);
    await runMatchingBench(
      matching.env.DATABASE_URL,
      {
        properties: options.sizeGiven ? options.size : 200_000,
        searches: options.searches,
        batches: 40,
        batchSize: options.batchSize,
        seed: options.seed,
        out: options.out,
      },
      log,
    );
  } finally {
    await matching.stop();
  }
  process.exit(0);
}

const data = loadDatasets();
if (!data) {
  console.log("bench: skipped: the private data sets in ../shared/datasets are not present (see docs/benchmarks.md).");
  process.exit(0);
}

/** The cache data version key the change hook bumps (workers/src/pkg/changes). */
const DATA_VERSION_KEY = "pillow:data-version";

/** Bumps the cache data version every 2 ms while on, so cold runs never read a cached answer. */
function cacheBuster(redisPort: number) {
  let socket: Socket | null = null;
  let timer: NodeJS.Timeout | null = null;
  const cmd = `*2\r\n$4\r\nINCR\r\n$${DATA_VERSION_KEY.length}\r\n${DATA_VERSION_KEY}\r\n`;
  return {
    start() {
      socket = createConnection({ host: "127.0.0.1", port: redisPort });
      socket.on("data", () => {});
      socket.on("error", () => {});
      timer = setInterval(() => socket?.write(cmd), 2);
    },
    stop() {
      if (timer) clearInterval(timer);
      socket?.destroy();
      socket = null;
      timer = null;
    },
  };
}

/** Body sizes of a few requests (sequential, after the measured runs). */
async function responseSizes(url: string, paths: string[]): Promise<{ p50: number; max: number; samples: number }> {
  const sizes: number[] = [];
  for (const path of paths) sizes.push((await (await fetch(`${url}${path}`)).arrayBuffer()).byteLength);
  sizes.sort((a, b) => a - b);
  return { p50: sizes[Math.floor(sizes.length / 2)] ?? 0, max: sizes.at(-1) ?? 0, samples: sizes.length };
}

async function mintToken(databaseUrl: string): Promise<string> {
  const token = generateApiToken();
  const client = new pg.Client(databaseUrl);
  await client.connect();
  try {
    await client.query("INSERT INTO api_tokens (name, token_hash, prefix, role, service) VALUES ($1, $2, $3, 'admin', 'bench')", [
      "benchmark",
      await sha256Hex(token),
      displayPrefix(token),
    ]);
  } finally {
    await client.end();
  }
  return `Bearer ${token}`;
}

async function measureOverheads(
  env: { DATABASE_URL: string; NEON_HTTP_ENDPOINT: string; UPSTASH_REDIS_REST_URL: string; UPSTASH_REDIS_REST_TOKEN: string },
  workerUrl: string,
  n = 500,
): Promise<Overheads> {
  const { DATABASE_URL: databaseUrl, NEON_HTTP_ENDPOINT: standIn } = env;
  const client = await floorClient(databaseUrl);
  const time = async (fn: () => Promise<unknown>): Promise<Latency> => {
    for (let i = 0; i < 50; i++) await fn();
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await fn();
      t.push(performance.now() - t0);
    }
    return summarise(t);
  };
  try {
    const pgSelect1 = await time(() => client.query("SELECT 1"));
    const standInSelect1 = await time(async () => {
      const res = await fetch(standIn, {
        method: "POST",
        headers: { "neon-connection-string": databaseUrl, "neon-raw-text-output": "true", "neon-array-mode": "true" },
        body: JSON.stringify({ query: "SELECT 1", params: [] }),
      });
      await res.arrayBuffer();
    });
    const workerHealth = await time(async () => {
      const res = await fetch(`${workerUrl}/api/v1/health`);
      await res.arrayBuffer();
    });
    // An unknown API path: the Worker's own cost (routing, middleware, error envelope) without SQL.
    const workerNoRoute = await time(async () => {
      const res = await fetch(`${workerUrl}/api/v1/no-such-route`);
      await res.arrayBuffer();
    });
    const upstashPing = await time(async () => {
      const res = await fetch(env.UPSTASH_REDIS_REST_URL, {
        method: "POST",
        headers: { authorization: `Bearer ${env.UPSTASH_REDIS_REST_TOKEN}` },
        body: JSON.stringify(["PING"]),
      });
      await res.arrayBuffer();
    });
    const workerPreflight = await time(async () => {
      const res = await fetch(`${workerUrl}/api/v1/properties`, {
        method: "OPTIONS",
        headers: { origin: "https://bench.invalid", "access-control-request-method": "GET" },
      });
      await res.arrayBuffer();
    });
    return { pgSelect1, standInSelect1, workerHealth, workerNoRoute, upstashPing, workerPreflight };
  } finally {
    await client.end();
  }
}

function toRun(mode: "cold" | "warm", connections: number, r: LoadResult): RunResult {
  const ok = r.samples.filter((s) => s.status < 400);
  return {
    mode,
    connections,
    requests: r.samples.length,
    rps: r.samples.length / r.seconds,
    latency: summarise(ok.map((s) => s.end - s.start)),
    errors: r.errors + r.timeouts + (r.samples.length - ok.length),
    statusCounts: r.statusCounts,
    cacheCounts: r.cacheCounts,
    errorBodies: r.errorBodies,
    // Other processes on a shared 2-core machine show up in every figure: record how busy it was.
    load1: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
    ...(r.maxPage ? { maxPage: r.maxPage } : {}),
  };
}

const recorder = new SqlRecorder();
const services = await startServices({
  log,
  onSql: recorder.observe,
  ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  // Memory sized for 1M properties in RAM, as docs/benchmarks.md gives for the benchmark machine;
  // durability as in production (fsync, full pages).
  postgresSettings: {
    shared_buffers: "2GB",
    work_mem: "64MB",
    maintenance_work_mem: "1GB",
    effective_cache_size: "16GB",
    random_page_cost: "1.1",
    fsync: "on",
    full_page_writes: "on",
    synchronous_commit: "off",
    max_wal_size: "8GB",
    checkpoint_timeout: "15min",
    max_parallel_maintenance_workers: 2,
    track_io_timing: "on",
  },
});
let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
let driverFloor: DriverFloorWorker | null = null;
let exitCode = 0;
const shutdown = async () => {
  // The data plane is stopped whatever happens to the Worker (its runtime may already be gone on Ctrl-C).
  const workerStopped = Promise.all([worker?.stop(), driverFloor?.stop()]).catch(() => {});
  await Promise.race([workerStopped, new Promise((resolve) => setTimeout(resolve, 5000))]);
  await services.stop();
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void shutdown().then(() => process.exit(130));
  });
}

try {
  const env = services.env;
  const load = await loadBenchData(env.DATABASE_URL, data, {
    size: options.size,
    seed: options.seed,
    streams: options.loadStreams,
    log,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  const db = await floorClient(env.DATABASE_URL);
  const replayer = new FloorReplayer(env.DATABASE_URL);
  const params = await sampleMixParams(db, options.size, options.seed);
  const machine = await machineFacts(db);
  const authorization = await mintToken(env.DATABASE_URL);
  const { REDIS_PORT, ...bindings } = env;
  // Reads go anonymous, like the public site; the rate limits are raised for the run so the load
  // measures the API and not the limiter's 429s (the limiter's Redis call still runs on every request).
  const unlimited = { limit: 100_000_000, window: "60 s" };
  worker = await startWorker(
    {
      ...bindings,
      ...(await generateJwtKeys("bench")),
      RATE_LIMITS: JSON.stringify({ anonymous: unlimited, user: unlimited, service: unlimited, admin: unlimited }),
    },
    log,
  );
  const url = worker.url;
  driverFloor = await startDriverFloor({ DATABASE_URL: env.DATABASE_URL, NEON_HTTP_ENDPOINT: env.NEON_HTTP_ENDPOINT });
  const overheads = await measureOverheads(env, url);
  const buster = cacheBuster(Number(REDIS_PORT));

  const outDir = options.out;
  const name = `${options.size >= 1_000_000 ? `${options.size / 1_000_000}M` : `${Math.round(options.size / 1000)}k`}`;
  mkdirSync(join(outDir, "plans", name), { recursive: true });

  const specs = buildMix(params).filter((s) => options.only.length === 0 || options.only.includes(s.name));
  const queries: QueryResult[] = [];
  const headers = {};
  const job = (spec: QuerySpec, paths: string[], connections: number, extra: { amount?: number } = {}) => ({
    url,
    method: "GET" as const,
    paths,
    headers,
    connections,
    duration: options.duration,
    timeoutSeconds: 30,
    ...(spec.cursorPages ? { cursorPages: spec.cursorPages } : {}),
    ...extra,
  });
  // Cold means the Redis cache bypassed, not Postgres' buffers. The SQL and driver floors replay a cold
  // run's statements after it, on the pages it brought in; so each cold run is measured on a second
  // pass over the same requests, and API and floors read the same buffers.
  const secondPass = async (spec: QuerySpec, paths: string[], connections: number, beforeMeasuring = () => {}) => {
    const primed = await runLoad(job(spec, paths, connections));
    beforeMeasuring();
    return runLoad(job(spec, paths, connections, { amount: primed.samples.length }));
  };
  for (const [k, spec] of specs.entries()) {
    log(`query ${spec.name} …`);
    const coldRng = rngFor(options.seed, 1000 + k);
    const coldPaths = Array.from({ length: spec.cursorPages ? 2000 : 20000 }, () => spec.path(coldRng));
    const warmRng = rngFor(options.seed, 2000 + k);
    const warmPaths = Array.from({ length: spec.cursorPages ? 2 : 20 }, () => spec.path(warmRng));

    buster.start();
    const cold1 = await secondPass(spec, coldPaths, 1, () => recorder.start());
    const statements = recorder.stop();
    buster.stop();
    const requests = attribute(cold1.samples, statements);
    const floor: FloorResult | null = await replayer.replay(requests, options.duration);
    // The same statements through the same driver from a minimal Worker, at each concurrency the API ran.
    const bodies = requests.filter((r) => r.length > 0).map(driverFloorBody);
    const driverJob = (connections: number) => ({
      url: driverFloor?.url ?? "",
      method: "POST" as const,
      paths: ["/"],
      bodies,
      headers: { "content-type": "application/json" },
      connections,
      duration: options.duration,
      timeoutSeconds: 30,
    });
    const driver = bodies.length
      ? [
          toRun("cold", 1, await runLoad(driverJob(1))),
          ...(options.connections > 1 ? [toRun("cold", options.connections, await runLoad(driverJob(options.connections)))] : []),
        ]
      : [];
    const plan = await explainRequests(db, requests);
    let planInfo: QueryResult["plan"] = null;
    if (plan) {
      const file = `${name}/${spec.name}.txt`;
      writeFileSync(join(outDir, "plans", file), `-- ${spec.title}\n-- example request: ${coldPaths[0]}\n\n${plan.text}`);
      planInfo = { file, seqScan: spec.indexed && plan.seqScan, executionMs: plan.executionMs };
    }

    // Warm: answer each request once (fills the cache), then measure the same set.
    await runLoad(job(spec, warmPaths, 1, { amount: warmPaths.length * (spec.cursorPages ?? 1) }));
    const warm1 = await runLoad(job(spec, warmPaths, 1));

    buster.start();
    const coldN = options.connections > 1 ? await secondPass(spec, coldPaths.slice().reverse(), options.connections) : null;
    buster.stop();

    const runs = [
      toRun("cold", 1, cold1),
      toRun("warm", 1, warm1),
      ...(coldN ? [toRun("cold", options.connections, coldN)] : []),
    ];
    queries.push({
      ...(spec.name.startsWith("tile_") ? { bytes: await responseSizes(url, coldPaths.slice(0, 20)) } : {}),
      name: spec.name,
      title: spec.title,
      floorRef: spec.floorRef,
      ...(spec.trap ? { trap: spec.trap } : {}),
      example: coldPaths[0] ?? "",
      runs,
      floor,
      driver,
      plan: planInfo,
    });
    const c = runs[0];
    log(
      `  cold p50 ${c?.latency.p50.toFixed(2)} p95 ${c?.latency.p95.toFixed(2)} ms, ${c?.rps.toFixed(0)} req/s, errors ${c?.errors}; ` +
        `floor p50 ${floor?.latency.p50.toFixed(2) ?? "–"} ms; driver floor p50 ${driver[0]?.latency.p50.toFixed(2) ?? "–"} ms; warm p50 ${runs[1]?.latency.p50.toFixed(2)} ms`,
    );
  }

  const ingest =
    options.skipIngest || options.ingestSize === 0
      ? []
      : await runIngest({
          url,
          authorization,
          databaseUrl: env.DATABASE_URL,
          data,
          seed: options.seed,
          firstRow: options.size + 1,
          count: options.ingestSize,
          batchSize: options.batchSize,
          connections: 2,
          recorder,
          log,
        });
  await db.end();
  await replayer.close();

  const seqScanFailures = queries.filter((q) => q.plan?.seqScan).map((q) => q.name);
  const report: BenchReport = { options: { ...options }, machine, load, overheads, queries, ingest, seqScanFailures };
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, `${name}.md`), markdown(report));
  log(`results: ${join(outDir, `${name}.md`)}`);
  if (seqScanFailures.length) {
    console.error(`bench: FAILED plan check: sequential scan of properties in ${seqScanFailures.join(", ")}`);
    exitCode = 1;
  }
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await shutdown();
}
process.exit(exitCode);
