/**
 * Boots Pillow's local data plane: Postgres 15 + PostGIS, PgBouncer and Redis (Debian packages) as
 * ordinary processes on free ports, plus the protocol stand-ins that let the production drivers reach
 * them (Neon SQL-over-HTTP and WebSocket, Upstash REST). `stop()` ends all of it.
 *
 * Tests and benchmarks get a throw-away data plane in a temporary folder, with Postgres' durability
 * switched off for speed. `npm start` passes `dataDir`: the data stays there between runs, with
 * Postgres' fsync on and Redis' append-only file, so that stopping at any moment loses nothing committed.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { createDistance, type Distance } from "./distance.ts";
import { type ObservedQuery, startNeonHttp } from "./neon-http.ts";
import { startNeonWs } from "./neon-ws.ts";
import { startUpstashRest } from "./upstash-rest.ts";

export const PG_BIN = "/usr/lib/postgresql/15/bin";
const REDIS_SERVER = "/usr/bin/redis-server";
const PGBOUNCER = "/usr/sbin/pgbouncer";
/** Chromium is for the browser tests (site/test), driven by playwright-core. */
export const SYSTEM_PACKAGES = [
  "postgresql-15",
  "postgresql-15-postgis-3",
  "postgresql-contrib",
  "pgbouncer",
  "redis-server",
  "chromium",
];

export type LocalEnv = {
  DATABASE_URL: string;
  NEON_HTTP_ENDPOINT: string;
  NEON_WS_PROXY: string;
  UPSTASH_REDIS_REST_URL: string;
  UPSTASH_REDIS_REST_TOKEN: string;
  REDIS_PORT: string;
};

/** `distance`: the stand-ins' simulated round-trip delay (settable) and trip counts (distance.ts). */
export type Services = { env: LocalEnv; distance: Distance; stop: () => Promise<void> };

export type ServiceOptions = {
  /** Extra `postgresql.conf` settings, e.g. bigger buffers for benchmarks. */
  postgresSettings?: Record<string, string | number>;
  log?: (line: string) => void;
  /** Observer of every statement the Neon HTTP stand-in runs (benchmarks record the Worker's SQL). */
  onSql?: (q: ObservedQuery) => void;
  /**
   * Keep Postgres and Redis data in this folder and reuse it on the next start (durable settings).
   * Without it the data plane lives in a temporary folder that `stop()` deletes.
   */
  dataDir?: string;
  /** Simulated Worker↔data-region round trip added by the stand-ins, ms (default 0; `npm start -- --rtt 80`). */
  rttMs?: number;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Installs the Debian packages when they are missing and we may (root); otherwise says what to install. */
export function ensureSystemPackages(log: (line: string) => void = console.log): void {
  const missing = [
    `${PG_BIN}/postgres`,
    PGBOUNCER,
    REDIS_SERVER,
    "/usr/share/postgresql/15/extension/postgis.control",
    "/usr/bin/chromium",
  ].filter((p) => !existsSync(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Postgres 15 + PostGIS, PgBouncer, Redis or Chromium are missing. Install them with:\n  sudo apt-get install -y ${SYSTEM_PACKAGES.join(" ")}`,
    );
  }
  log(`installing ${SYSTEM_PACKAGES.join(", ")} with apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "--no-install-recommends", ...SYSTEM_PACKAGES],
  ]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed`);
  }
}

const asRoot = process.getuid?.() === 0;

/** Postgres refuses to run as root, so as root we run its binaries as the `postgres` user. */
function asPostgresUser(): { uid?: number; gid?: number } {
  return asRoot ? { uid: idOf("-u"), gid: idOf("-g") } : {};
}

function run(bin: string, args: string[]): void {
  const r = spawnSync(`${PG_BIN}/${bin}`, args, { encoding: "utf8", ...asPostgresUser() });
  if (r.status !== 0) throw new Error(`${bin} failed: ${r.stderr || r.stdout}`);
}

function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function startServices(options: ServiceOptions = {}): Promise<Services> {
  const log = options.log ?? (() => {});
  ensureSystemPackages(log);
  const persistent = options.dataDir !== undefined;
  const dir = persistent ? resolve(options.dataDir as string) : mkdtempSync(join(tmpdir(), "pillow-"));
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  // Sockets and PgBouncer's files: written by the postgres user, remade on every start.
  const runDir = persistent ? join(dir, "run") : dir;
  mkdirSync(runDir, { recursive: true });
  const pgData = join(dir, persistent ? "postgres" : "pg");
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
    if (!persistent) rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Postgres
    const pgPort = await freePort();
    if (asRoot) chownSync(runDir, idOf("-u"), idOf("-g"));
    if (!existsSync(join(pgData, "PG_VERSION"))) initCluster(pgData);
    else log(`postgres: reusing the data in ${pgData}`);
    const settings: Record<string, string | number> = {
      port: pgPort,
      listen_addresses: "127.0.0.1",
      unix_socket_directories: `'${runDir}'`,
      // A throw-away test cluster trades durability for speed; kept data keeps Postgres' safe defaults.
      ...(persistent ? {} : { fsync: "off", synchronous_commit: "off", full_page_writes: "off" }),
      max_connections: 100,
      ...options.postgresSettings,
    };
    const pgArgs = [
      "-D",
      pgData,
      ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${String(v).replace(/^'|'$/g, "")}`]),
    ];
    const adminUrl = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
    await startPostgresUserProcess(
      `${PG_BIN}/postgres`,
      pgArgs,
      // SIGINT = Postgres "fast" shutdown.
      { stopSignal: "SIGINT", stopMs: 10_000, readyUrl: adminUrl },
      stops,
    );
    const admin = new pg.Client(adminUrl);
    await admin.connect();
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'pillow'");
    if (!rowCount) await admin.query("CREATE DATABASE pillow");
    await admin.end();
    const databaseUrl = `postgres://postgres@127.0.0.1:${pgPort}/pillow`;
    log(`postgres ready on 127.0.0.1:${pgPort}`);

    const bouncerPort = await startPgBouncer(runDir, pgPort, stops);
    log(`pgbouncer ready on 127.0.0.1:${bouncerPort}`);

    // Redis
    const redisPort = await freePort();
    const redisDir = persistent ? join(dir, "redis") : dir;
    mkdirSync(redisDir, { recursive: true });
    // Kept data: every write goes to the append-only file, fsync'd every second (and on shutdown).
    const durability = persistent ? ["--appendonly", "yes", "--appendfsync", "everysec"] : ["--appendonly", "no"];
    const redis = spawn(
      REDIS_SERVER,
      ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", ...durability, "--dir", redisDir],
      { stdio: "ignore" },
    );
    stops.push(async () => {
      redis.kill("SIGTERM");
      await waitForExit(redis, 5_000);
    });
    await waitFor(
      () =>
        new Promise<void>((resolve, reject) => {
          const s = createConnection({ port: redisPort, host: "127.0.0.1" }, () => {
            s.destroy();
            resolve();
          });
          s.once("error", reject);
        }),
      10_000,
    );
    log(`redis ready on 127.0.0.1:${redisPort}`);

    // Protocol stand-ins
    const distance = createDistance(options.rttMs ?? 0);
    const http = await startNeonHttp(databaseUrl, 0, options.onSql, distance);
    stops.push(http.close);
    const ws = await startNeonWs("127.0.0.1", bouncerPort, 0, distance);
    stops.push(ws.close);
    const token = randomBytes(24).toString("hex");
    const upstash = await startUpstashRest(redisPort, token, 0, distance);
    stops.push(upstash.close);

    return {
      env: {
        DATABASE_URL: databaseUrl,
        NEON_HTTP_ENDPOINT: http.url,
        NEON_WS_PROXY: ws.url,
        UPSTASH_REDIS_REST_URL: upstash.url,
        UPSTASH_REDIS_REST_TOKEN: token,
        REDIS_PORT: String(redisPort),
      },
      distance,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * A new cluster, made in a side folder and moved into place when complete: an initdb cut short (Ctrl-C)
 * leaves no half-made cluster for the next start to trip over.
 */
function initCluster(pgData: string): void {
  const building = `${pgData}.initdb`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { mode: 0o700 });
  if (asRoot) chownSync(building, idOf("-u"), idOf("-g"));
  run("initdb", ["-D", building, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  rmSync(pgData, { recursive: true, force: true });
  renameSync(building, pgData);
}

/**
 * PgBouncer in transaction mode in front of Postgres, for the WebSocket stand-in: Neon's pooled
 * endpoint works the same way. Without it every interactive transaction (one WebSocket connection
 * each) starts a new Postgres backend, about 35 ms here, whose catalog caches are cold; an ingest
 * batch took about 700 ms that way and about 400 ms through the pooler.
 */
async function startPgBouncer(dir: string, pgPort: number, stops: Array<() => Promise<void>>): Promise<number> {
  const port = await freePort();
  const users = join(dir, "pgbouncer-users.txt");
  const ini = join(dir, "pgbouncer.ini");
  writeFileSync(users, '"postgres" ""\n');
  writeFileSync(
    ini,
    [
      "[databases]",
      `* = host=127.0.0.1 port=${pgPort}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${users}`,
      "pool_mode = transaction",
      "default_pool_size = 40",
      "max_client_conn = 1000",
      // A client that vanishes inside a transaction (a Worker torn down mid-request) must not keep a
      // server connection, and its locks, for ever.
      "idle_transaction_timeout = 30",
      // node-postgres sends these at startup; transaction pooling cannot keep per-client settings.
      "ignore_startup_parameters = extra_float_digits,options",
      "",
    ].join("\n"),
  );
  await startPostgresUserProcess(
    PGBOUNCER,
    [ini],
    { stopSignal: "SIGTERM", stopMs: 5_000, readyUrl: `postgres://postgres@127.0.0.1:${port}/postgres` },
    stops,
  );
  return port;
}

/**
 * Starts a server binary as the `postgres` user, registers how to stop it, and waits until it accepts
 * a connection and a query at `readyUrl`. Its last stderr lines explain an early exit.
 */
async function startPostgresUserProcess(
  bin: string,
  args: string[],
  options: { stopSignal: NodeJS.Signals; stopMs: number; readyUrl: string },
  stops: Array<() => Promise<void>>,
): Promise<void> {
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"], ...asPostgresUser() });
  let output = "";
  child.stderr?.on("data", (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  stops.push(async () => {
    child.kill(options.stopSignal);
    await waitForExit(child, options.stopMs);
  });
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`${bin} exited: ${output}`);
    const c = new pg.Client(options.readyUrl);
    await c.connect();
    await c.query("SELECT 1");
    await c.end();
  }, 20_000);
}

function idOf(flag: "-u" | "-g"): number {
  const r = spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  return Number(r.stdout.trim());
}

async function waitFor(check: () => Promise<void>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await check();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`timed out waiting for service: ${String(lastError)}`);
}
