/**
 * `npm run bench -- --distance`: the read API under simulated distance between the edge and the data
 * region. Both Workers run in workerd from their deploy bundles (bench/worker.ts) with the real Cache
 * API: the front Worker where the reader is, the data Worker placed next to the data. The front's `DATA`
 * service binding waits one round trip of RTT and is counted (scripts/local/region-link.ts); the data
 * Worker's Postgres and Redis trips are inside the region, counted by the stand-ins with no delay added
 * (scripts/local/distance.ts). Each scenario runs at RTT 0 and RTT 80 ms, one request at a time, and
 * reports p50/p95 and the trips per request: those made before the answer (on the request's path) and
 * those after it (cache writes and refreshes in `waitUntil`). Beside them, a minimal Worker in the same
 * workerd gives the floor of an edge answer. Results: bench/results/distance.md + .json;
 * docs/benchmarks.md explains them.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import pg from "pg";
import { migrateDatabase } from "../db/migrate.ts";
import { tripsOf } from "../scripts/local/distance.ts";
import { generateJwtKeys } from "../scripts/local/jwt-keys.ts";
import { regionLink } from "../scripts/local/region-link.ts";
import { startServices } from "../scripts/local/services.ts";
import { displayPrefix, generateApiToken, sha256Hex } from "../workers/src/pkg/auth/api-token.ts";
import { machineFacts } from "./machine.ts";
import { summarise } from "./stats.ts";
import { startSplitWorkers } from "./worker.ts";

const RTTS = [0, 80];
const PROPERTIES = 20_000;
const CITIES = 200;
/** Pause after each request, for its background trips to land: three round trips at the largest RTT. */
const SETTLE_MS = Math.max(...RTTS) * 3 + 30;

type Trips = { data: number; postgres: number; redis: number };

type Row = {
  scenario: string;
  rtt: number;
  samples: number;
  p50: number;
  p95: number;
  /**
   * Trips per request before the answer arrived (its latency pays them, in parallel or in sequence):
   * `data` front → data Worker (edge↔region), `postgres` and `redis` from the data Worker (in the region).
   */
  onPath: Trips;
  /** Trips per request after the answer (cache writes, stale refreshes). */
  after: Trips;
  /** How the answers came: `X-Edge-Cache` values seen. */
  edge: string;
};

type Scenario = {
  name: string;
  samples: number;
  /** Runs once before the samples (e.g. to fill the cache); its trips are not counted. */
  warm?: () => Promise<void>;
  /** The minimal Worker instead of the front Worker. */
  floor?: boolean;
  request: (i: number) => { path: string; headers?: Record<string, string>; method?: string };
};

async function seed(databaseUrl: string): Promise<string[]> {
  const db = new pg.Client(databaseUrl);
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO properties (primary_source, property_type, listing_type, status, title, street, city, state, postal_code,
          country, location, bedrooms, bathrooms, area_living_sqm, year_built, price_minor, currency, listed_at, updated_at)
       SELECT 'bench', (ARRAY['house','apartment','townhouse'])[1 + i % 3], 'sale', 'active', 'Bench property ' || i,
          i || ' Bench Street', 'Benchcity' || (i % ${CITIES}), 'WA', lpad((98000 + i % 200)::text, 5, '0'), 'US',
          ST_SetSRID(ST_MakePoint(-122.4 + (i % 100) * 0.004, 47.4 + (i / 100 % 100) * 0.004), 4326)::geography,
          1 + i % 5, 1 + i % 3, 50 + i % 200, 1950 + i % 70, (200000 + (i * 7919) % 900000) * 100, 'USD',
          now() - (i % 365) * interval '1 day', now()
         FROM generate_series(1, $1::int) AS i
       RETURNING id`,
      [PROPERTIES],
    );
    await db.query("ANALYZE properties");
    return rows.map((r) => r.id);
  } finally {
    await db.end();
  }
}

async function mintToken(databaseUrl: string): Promise<string> {
  const token = generateApiToken();
  const db = new pg.Client(databaseUrl);
  await db.connect();
  try {
    await db.query("INSERT INTO api_tokens (name, token_hash, prefix, role, service) VALUES ($1, $2, $3, 'service', 'bench')", [
      "distance benchmark",
      await sha256Hex(token),
      displayPrefix(token),
    ]);
  } finally {
    await db.end();
  }
  return `Bearer ${token}`;
}

export async function runDistanceBench(out: string, log: (line: string) => void): Promise<void> {
  const loadAtStart = os.loadavg();
  const services = await startServices({ log });
  let worker: Awaited<ReturnType<typeof startSplitWorkers>> | undefined;
  try {
    await migrateDatabase(services.env.DATABASE_URL);
    const ids = await seed(services.env.DATABASE_URL);
    log(`${ids.length} properties loaded`);
    const { REDIS_PORT: _port, ...env } = services.env;
    const distance = services.distance;
    // The data Worker is next to the data: its own trips get no delay; the front's binding gets the RTT.
    distance.rttMs = 0;
    worker = await startSplitWorkers(
      {
        ...env,
        ...(await generateJwtKeys("bench-key")),
        RATE_LIMITS: JSON.stringify({
          anonymous: { limit: 1_000_000, window: "60 s" },
          service: { limit: 1_000_000, window: "60 s" },
        }),
      },
      log,
      (forward) => regionLink(distance, forward),
      { EDGE_RATE_LIMITER: { namespace_id: "1001", simple: { limit: 1_000_000, period: 60 } } },
    );
    const { url, floorUrl } = worker;
    let run = 0;
    const fetchOnce = async (base: string, path: string, headers?: Record<string, string>, method = "GET") => {
      const res = await fetch(`${base}${path}`, { method, headers: { "cf-connecting-ip": "203.0.113.9", ...headers } });
      const body = await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}`);
      return { res, bytes: body.byteLength };
    };
    const rows: Row[] = [];
    for (const rtt of RTTS) {
      distance.linkRttMs = rtt;
      run++;
      const token = await mintToken(services.env.DATABASE_URL);
      const cachedSearch = `/api/v1/properties?city=Benchcity7&limit=20&max_price=${5_000_000 + run}`;
      // The floor stores a body as large as the cached search's answer.
      const cachedBytes = (await fetchOnce(url, cachedSearch)).bytes;
      const scenarios: Scenario[] = [
        {
          // The floor of any answer in this harness: a Worker of a few lines answering with no I/O.
          name: "floor: minimal Worker, no I/O",
          samples: 100,
          floor: true,
          request: () => ({ path: "/none" }),
        },
        {
          // What an edge hit cannot go below: the same two sequential Cache API reads (generation, entry).
          name: `floor: minimal Worker, 2 Cache API reads (${cachedBytes} B answer)`,
          samples: 100,
          floor: true,
          warm: async () => void (await fetchOnce(floorUrl, `/cache?n=2&bytes=${cachedBytes}`)),
          request: () => ({ path: `/cache?n=2&bytes=${cachedBytes}` }),
        },
        {
          name: `floor: minimal Worker, 2 Cache API reads + rate-limiting binding (${cachedBytes} B answer)`,
          samples: 100,
          floor: true,
          warm: async () => void (await fetchOnce(floorUrl, `/cache?n=2&limit=1&bytes=${cachedBytes}`)),
          request: () => ({ path: `/cache?n=2&limit=1&bytes=${cachedBytes}` }),
        },
        {
          name: "cached anonymous search (edge hit)",
          samples: 100,
          warm: async () => void (await fetchOnce(url, cachedSearch)),
          request: () => ({ path: cachedSearch }),
        },
        {
          name: "cold anonymous search",
          samples: 40,
          request: (i) => ({
            path: `/api/v1/properties?city=Benchcity${i % CITIES}&limit=20&max_price=${900000 + run * 1000 + i}`,
          }),
        },
        {
          name: "cold search, API token (warm token)",
          samples: 40,
          warm: async () =>
            void (await fetchOnce(url, `/api/v1/properties?limit=1&max_price=${6_000_000 + run}`, { Authorization: token })),
          request: (i) => ({
            path: `/api/v1/properties?city=Benchcity${i % CITIES}&limit=20&max_price=${800000 + run * 1000 + i}`,
            headers: { Authorization: token },
          }),
        },
        {
          name: "get by id (cold)",
          samples: 40,
          request: (i) => ({ path: `/api/v1/properties/${ids[(run * 1000 + i * 37) % ids.length]}` }),
        },
        {
          name: "stats (cold)",
          samples: 40,
          request: (i) => ({
            path: `/api/v1/stats?city=Benchcity${(run * 50 + i) % CITIES}&max_price=${7_000_000 + run * 100 + i}`,
          }),
        },
      ];
      for (const s of scenarios) {
        await s.warm?.();
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const ms: number[] = [];
        const onPath: Trips = { data: 0, postgres: 0, redis: 0 };
        const after: Trips = { data: 0, postgres: 0, redis: 0 };
        const outcomes = new Map<string, number>();
        for (let i = 0; i < s.samples; i++) {
          const { path, headers, method } = s.request(i);
          const t0 = tripsOf(distance);
          const started = performance.now();
          const { res } = await fetchOnce(s.floor ? floorUrl : url, path, headers, method);
          ms.push(performance.now() - started);
          const t1 = tripsOf(distance);
          // Background work (cache writes, refreshes) lands within a few round trips of the answer. The
          // pause is the same at every RTT: on a busy machine how long a process idled changes how soon it wakes.
          await new Promise((r) => setTimeout(r, SETTLE_MS));
          const t2 = tripsOf(distance);
          for (const k of ["data", "postgres", "redis"] as const) {
            onPath[k] += t1[k] - t0[k];
            after[k] += t2[k] - t1[k];
          }
          const edge = s.floor ? "floor" : (res.headers.get("x-edge-cache") ?? "none");
          outcomes.set(edge, (outcomes.get(edge) ?? 0) + 1);
        }
        const lat = summarise(ms);
        const per = (n: number) => Math.round((n / s.samples) * 100) / 100;
        const perTrips = (t: Trips): Trips => ({ data: per(t.data), postgres: per(t.postgres), redis: per(t.redis) });
        const row: Row = {
          scenario: s.name,
          rtt,
          samples: s.samples,
          p50: Math.round(lat.p50 * 10) / 10,
          p95: Math.round(lat.p95 * 10) / 10,
          onPath: perTrips(onPath),
          after: perTrips(after),
          edge: [...outcomes].map(([k, v]) => `${k} ${v}`).join(", "),
        };
        rows.push(row);
        log(
          `RTT ${rtt} ms  ${s.name}: p50 ${row.p50} ms, p95 ${row.p95} ms; before the answer: edge↔region ${row.onPath.data}, postgres ${row.onPath.postgres}, redis ${row.onPath.redis}; after: edge↔region ${row.after.data}, postgres ${row.after.postgres}, redis ${row.after.redis} (${row.edge})`,
        );
      }
    }
    const db = new pg.Client(services.env.DATABASE_URL);
    await db.connect();
    const machine = await machineFacts(db).finally(() => db.end());
    const load = { atStart: loadAtStart.map(round2), atEnd: os.loadavg().map(round2) };
    writeFileSync(join(out, "distance.json"), `${JSON.stringify({ machine, load, properties: PROPERTIES, rows }, null, 2)}\n`);
    writeFileSync(join(out, "distance.md"), markdown(rows, machine, load));
    log(`results in ${join(out, "distance.md")}`);
  } finally {
    await worker?.stop();
    await services.stop();
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function markdown(rows: Row[], machine: unknown, load: { atStart: number[]; atEnd: number[] }): string {
  const trips = (t: Trips) => `${t.data} | ${t.postgres} + ${t.redis}`;
  const lines = [
    "# Reads under simulated distance (`npm run bench -- --distance`)",
    "",
    `${PROPERTIES.toLocaleString("en")} synthetic properties; one request at a time. Two Workers as deployed: the front`,
    "Worker where the reader is, the data Worker next to the data. RTT = delay of each front → data Worker",
    "request (the `DATA` service binding, the one edge↔region trip); the data Worker's Postgres and Redis trips",
    "are inside the region (no delay added). Trips are counted: before the answer (the request waits for them,",
    "in parallel or one after another) and after it (cache writes and refreshes in `waitUntil`). The floor rows",
    "are a minimal Worker in the same workerd. Explained in docs/benchmarks.md.",
    "",
    `Load average (1, 5, 15 min) on the ${(machine as { cpus?: number }).cpus ?? "?"} cores: ${load.atStart.join(", ")} at the start, ${load.atEnd.join(", ")} at the end.`,
    "",
    "| scenario | RTT ms | p50 ms | p95 ms | before answer: edge↔region | before answer: in region (pg + redis) | after: edge↔region | after: in region (pg + redis) | edge cache |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows.map((r) => `| ${r.scenario} | ${r.rtt} | ${r.p50} | ${r.p95} | ${trips(r.onPath)} | ${trips(r.after)} | ${r.edge} |`),
    "",
    "```json",
    JSON.stringify(machine),
    "```",
    "",
  ];
  return lines.join("\n");
}
