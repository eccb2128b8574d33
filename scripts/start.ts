/**
 * README command 1: serves Pillow locally on its kept data.
 *
 * - The data plane (Postgres + PostGIS, Redis) keeps its data in `.pillow/` (git-ignored; PILLOW_DATA_DIR
 *   to change), durably: Ctrl-C at any moment leaves data the next start opens. Migrations are applied
 *   forward on every start. `npm start -- --reset` deletes the folder's data first (it asks, or takes
 *   `--yes`). A lock in the folder stops a second `npm start` on the same data.
 * - On a database without the demo data (or whose demo load was interrupted), the demo data is loaded
 *   through the real ingest path: a service token is minted and the dataset importers submit the openly
 *   licensed files in db/demo/ (King County CC0, HM Land Registry OGL) to the running Mill over HTTP.
 *   Re-submitting a listing merges into the same property, so an interrupted load is simply run again.
 * - Both Workers run in `wrangler dev`, one session each: the front Worker (wrangler.front.toml: site,
 *   docs, edge cache) on the port, the data Worker (wrangler.toml: API, crons, queues) on a port of its
 *   own; the front's `DATA` service binding finds it through a dev registry of this data folder's own, so
 *   two stacks never bind to each other's. Should one exit on its own, it is started again on the same
 *   port within seconds; the databases keep running.
 * - wrangler.toml's cron triggers fire on their schedule (scripts/local/cron-scheduler.ts), on the data Worker.
 * - `--rtt 80` makes every Postgres and Redis trip of the data Worker take 80 ms more, as from a data
 *   Worker far from the data region (scripts/local/distance.ts; the benchmark models the placed split).
 *
 * Ctrl-C (or SIGTERM) stops everything it started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadCarriedGazetteer } from "../db/gazetteer.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { BACKFILL_STEPS } from "../workers/src/pkg/geocode/backfill-sql.ts";
import { loadConnectorCli, nodeIo } from "./lib/connectors.ts";
import { configuredCrons, startCronScheduler } from "./local/cron-scheduler.ts";
import {
  AlreadyRunningError,
  acquireLock,
  persistentJwtKeys,
  readDemoState,
  wipeDataDir,
  writeDemoState,
} from "./local/data-dir.ts";
import { descendants } from "./local/procfs.ts";
import { freePort, type Services, startServices } from "./local/services.ts";
import { wranglerDevArgs, writeEnvFile } from "./local/wrangler-dev.ts";
import { ensureSiteBuilt, reportPageJs } from "./site.ts";

const { values: args } = parseArgs({
  options: {
    reset: { type: "boolean", default: false },
    yes: { type: "boolean", default: false },
    /** Rows per demo dataset (a smaller demo on a slow machine); default: all. */
    "demo-limit": { type: "string" },
    /** `--no-crons`: do not fire wrangler.toml's cron triggers (they still run by hand). */
    crons: { type: "boolean", default: true },
    /** `--rtt 80`: simulated data Worker↔data-region round trip, ms, added by the local stand-ins (default 0). */
    rtt: { type: "string", default: "0" },
  },
  allowNegative: true,
});
const port = Number(process.env.PORT ?? 8787);
const origin = `http://127.0.0.1:${port}`;
const dataDir = process.env.PILLOW_DATA_DIR ?? ".pillow";
/** The local secrets for wrangler dev (what `wrangler secret put` sets in production). */
const devVarsPath = join(dataDir, "dev.vars");
/** The wrangler dev registry of this data folder's stack (how the front Worker finds the data Worker). */
const registryPath = join(dataDir, "wrangler-registry");
/** The data Worker's own origin (crons are fired there); set once it runs. */
let dataOrigin = origin;
const log = (line: string) => console.log(`pillow: ${line}`);
/** Openly licensed datasets carried in db/demo/ (see README "Data and attribution"). */
const DEMO_DATASETS = ["kc-house-data", "uk-ppd-newcastle"];
/** A Worker that keeps dying is a bug to look at, not to hide: give up after this many restarts in a minute. */
const MAX_RESTARTS_PER_MINUTE = 5;

let releaseLock: () => void;
try {
  releaseLock = acquireLock(dataDir, port);
} catch (err) {
  if (!(err instanceof AlreadyRunningError)) throw err;
  console.error(`pillow: ${err.message}`);
  process.exit(1);
}

let services: Services | undefined;
/** The `wrangler dev` session of each Worker, by configuration. */
const wranglers = new Map<string, ChildProcess>();
let scheduler: { stop: () => void } | undefined;
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log("stopping …");
  scheduler?.stop();
  await Promise.all(
    [...wranglers.values()].map(async (wrangler) => {
      if (wrangler.exitCode !== null) return;
      const exited = new Promise((r) => wrangler.once("exit", r));
      wrangler.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    }),
  );
  await services?.stop();
  releaseLock();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

/** `--reset`: confirmed by `--yes`, or by typing "reset" at the prompt; without a terminal it needs `--yes`. */
async function confirmReset(): Promise<boolean> {
  if (args.yes) return true;
  if (!process.stdin.isTTY) {
    console.error(`pillow: --reset deletes all local data in ${dataDir}/; add --yes to confirm (npm start -- --reset --yes)`);
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(
    `pillow: --reset deletes all local data in ${dataDir}/ (listings, users, API tokens). Type "reset" to go on: `,
  );
  rl.close();
  return answer.trim() === "reset";
}

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(services?.env.DATABASE_URL);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fresh `service` API token for the demo importer (only its hash is stored). */
async function mintServiceToken(): Promise<string> {
  const token = `pil_${randomBytes(32).toString("base64url")}`;
  await query(
    "INSERT INTO api_tokens (name, token_hash, prefix, role, service, sources) VALUES ($1, $2, $3, 'service', 'demo-importer', '{*}')",
    ["demo importer (npm start)", createHash("sha256").update(token).digest("hex"), token.slice(0, 10)],
  );
  return token;
}

async function loadDemoData(): Promise<void> {
  const state = readDemoState(dataDir);
  const [before] = await query<{ n: number }>("SELECT count(*)::int AS n FROM properties");
  if (state === "loaded" || (state === undefined && (before?.n ?? 0) > 0)) {
    log(`${before?.n ?? 0} properties in the database; demo data not loaded again`);
    return;
  }
  log(
    state === "loading"
      ? "the last demo data load was interrupted; loading it again (listings already stored are merged, not duplicated) …"
      : "empty database: loading the demo data through the dataset importers …",
  );
  writeDemoState(dataDir, "loading");
  const cli = await loadConnectorCli();
  const token = await mintServiceToken();
  const limit = args["demo-limit"] ? ["--limit", args["demo-limit"]] : [];
  for (const dataset of DEMO_DATASETS) {
    const code = await cli.runCli([dataset, "--mill", origin, "--token", token, ...limit], nodeIo());
    if (code !== 0) throw new Error(`demo import of ${dataset} failed`);
  }
  // The stats rollup's cron refreshes it every 10 minutes; the demo's charts should not wait for it.
  await query("REFRESH MATERIALIZED VIEW property_stats_city");
  writeDemoState(dataDir, "loaded");
  const [after] = await query<{ n: number }>("SELECT count(*)::int AS n FROM properties");
  log(`demo data loaded: ${after?.n ?? 0} properties`);
}

/**
 * Locates what the demo (or anything stored) left without a location, from the gazetteer: the statements
 * the hourly enrichment cron runs (workers/src/pkg/geocode/backfill-sql.ts), here at once rather than at the
 * next full hour.
 */
async function locateFromGazetteer(): Promise<void> {
  const started = Date.now();
  const counts: string[] = [];
  for (const step of BACKFILL_STEPS) {
    const [row] = await query<{ located: number }>(step.sql, [null]);
    counts.push(`${row?.located ?? 0} by ${step.name.replaceAll("_", " ")}`);
  }
  const [left] = await query<{ n: number }>("SELECT count(*)::int AS n FROM properties WHERE location IS NULL");
  log(`gazetteer located ${counts.join(", ")} in ${Date.now() - started} ms; ${left?.n ?? 0} properties without a location`);
}

/** One Worker's `wrangler dev` session. */
type WorkerSession = {
  /** Its configuration file, also its name in the log. */
  config: string;
  /** The Worker's `name` in that file: its entry in the dev registry. */
  name: string;
  port: number;
  persistTo: string;
  envFile: string;
  vars?: Record<string, string>;
};

/** The runtimes (workerd) each session started, recorded once it serves. */
const runtimes = new Map<string, number[]>();
/** Sessions being replaced on purpose (their exit is not a crash). */
const replacing = new Set<string>();
const FRONT_CONFIG = "wrangler.front.toml";
let frontSession: WorkerSession | undefined;

/**
 * A front Worker session keeps its connection to the data Worker it first found in the dev registry: once
 * the data Worker has been restarted, its requests fail ("Network connection lost") until it is restarted too.
 */
async function replaceFront(): Promise<void> {
  const child = wranglers.get(FRONT_CONFIG);
  if (!frontSession || !child) return;
  replacing.add(FRONT_CONFIG);
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  }
  endLeftoverRuntimes(FRONT_CONFIG);
  replacing.delete(FRONT_CONFIG);
  await startWorker(frontSession);
}

/**
 * workerd outlives a wrangler that was killed outright, and keeps the port: before a restart, what is
 * left of that session (the runtimes it had started) is ended; the other Worker's session keeps running.
 */
function endLeftoverRuntimes(config: string): void {
  for (const pid of runtimes.get(config) ?? []) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  runtimes.delete(config);
}

/**
 * Starts one Worker's `wrangler dev` and resolves once it serves. If it exits while Pillow is running, it
 * is started again (the databases and the other Worker keep running) and the log says so.
 */
function startWorker(session: WorkerSession, restarts: number[] = []): Promise<void> {
  // A session that was killed leaves its registry entry behind, and a new session does not register over
  // an entry another process wrote until that entry is 90 s old: the front Worker would not find it.
  rmSync(join(registryPath, session.name), { force: true });
  const child = spawn("node_modules/.bin/wrangler", wranglerDevArgs(session), {
    stdio: ["ignore", "pipe", "inherit"],
    // The front Worker finds the data Worker in this registry; a folder per data folder keeps stacks apart.
    env: { ...process.env, WRANGLER_REGISTRY_PATH: registryPath },
  });
  wranglers.set(session.config, child);
  return new Promise((resolve, reject) => {
    let ready = false;
    child.stdout?.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (!ready && chunk.toString().includes("Ready on")) {
        ready = true;
        const started = descendants(child.pid as number);
        runtimes.set(
          session.config,
          [...started].filter(([, name]) => name === "workerd").map(([pid]) => pid),
        );
        resolve();
      }
    });
    child.on("exit", (code, signal) => {
      if (stopping || replacing.has(session.config)) return;
      if (!ready) return reject(new Error(`wrangler dev (${session.config}) exited (${signal ?? code}) before it was ready`));
      const now = Date.now();
      const recent = [...restarts.filter((t) => now - t < 60_000), now];
      if (recent.length > MAX_RESTARTS_PER_MINUTE) {
        log(
          `the Worker (wrangler dev) exited (${signal ?? code}) ${recent.length} times within a minute (${session.config}); giving up`,
        );
        void shutdown(1);
        return;
      }
      log(
        `the Worker (wrangler dev) exited (${signal ?? code}); restarting it on port ${session.port} (${session.config}; the databases keep running) …`,
      );
      endLeftoverRuntimes(session.config);
      // A Ctrl-C reaches wrangler and this process together; give ours the moment to say we are stopping.
      setTimeout(() => {
        if (stopping) return;
        startWorker(session, recent)
          .then(() => (session.config === FRONT_CONFIG ? undefined : replaceFront()))
          .then(() => log(`the Worker is serving again at http://127.0.0.1:${session.port} (${session.config})`))
          .catch((err) => {
            console.error(err);
            void shutdown(1);
          });
      }, 500);
    });
  });
}

try {
  if (args.reset) {
    if (!(await confirmReset())) {
      log("reset cancelled; nothing was deleted");
      releaseLock();
      process.exit(1);
    }
    wipeDataDir(dataDir);
    log(`reset: deleted the local data in ${dataDir}/`);
  }
  const rttMs = Number(args.rtt);
  if (!Number.isFinite(rttMs) || rttMs < 0) throw new Error(`--rtt must be a number of milliseconds ≥ 0, not ${args.rtt}`);
  services = await startServices({ log, dataDir, rttMs });
  if (rttMs > 0) log(`simulating ${rttMs} ms between the Worker and the data region (every Postgres and Redis trip)`);
  await migrateDatabase(services.env.DATABASE_URL);
  log("migrations applied");
  log(`gazetteer loaded: ${await loadCarriedGazetteer(services.env.DATABASE_URL)} places`);

  // The Worker serves site/dist; rebuild it only when the site or docs sources changed.
  if (ensureSiteBuilt(log)) reportPageJs();
  else log("site and docs are up to date (site/dist)");

  // Secrets go to an env file in the data folder, as `wrangler secret` holds them in production; each data
  // folder has its own, so two stacks on two folders never share one. The endpoint overrides are `--var`s.
  const {
    REDIS_PORT: _port,
    NEON_HTTP_ENDPOINT,
    NEON_WS_PROXY,
    ...secrets
  } = {
    ...services.env,
    ...(await persistentJwtKeys(dataDir)),
  };
  writeEnvFile(devVarsPath, secrets);
  // The data Worker first: the front Worker's binding names it.
  const dataPort = await freePort();
  dataOrigin = `http://127.0.0.1:${dataPort}`;
  rmSync(registryPath, { recursive: true, force: true });
  await startWorker({
    config: "wrangler.toml",
    name: "pillow",
    port: dataPort,
    persistTo: join(dataDir, "wrangler"),
    envFile: devVarsPath,
    // Saved-search webhooks may go to receivers on this machine (docs/saved-searches.md "Webhooks");
    // production sets no WEBHOOK_ALLOW_HOSTS, so its SSRF guard refuses loopback and private addresses.
    vars: { NEON_HTTP_ENDPOINT, NEON_WS_PROXY, WEBHOOK_ALLOW_HOSTS: "127.0.0.1,localhost" },
  });
  // The front Worker has no secrets; an empty env file keeps a stray .dev.vars or .env out of it too.
  const frontVarsPath = join(dataDir, "front.vars");
  writeEnvFile(frontVarsPath, {});
  log(`the data Worker serves at ${dataOrigin} (its crons: ${dataOrigin}/cdn-cgi/handler/scheduled?cron=…)`);
  frontSession = {
    config: FRONT_CONFIG,
    name: "pillow-edge",
    port,
    persistTo: join(dataDir, "wrangler-front"),
    envFile: frontVarsPath,
  };
  await startWorker(frontSession);
  await loadDemoData();
  await locateFromGazetteer();
  // The place box's view (migration 0013): its cron refreshes it every 10 minutes; the first search should not wait.
  await query("REFRESH MATERIALIZED VIEW places");
  log("places refreshed");
  if (args.crons) scheduler = startCronScheduler({ crons: configuredCrons(), origin: dataOrigin, log });
  log(`Pillow is up at ${origin} (API: /api/v1, docs: /docs; data in ${dataDir}/)`);
} catch (err) {
  if (!stopping) {
    console.error(err);
    await shutdown(1);
  }
}
