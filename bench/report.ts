/** Turns a benchmark run into `bench/results/<name>.json` and a Markdown summary beside it. */
import type { FloorResult } from "./floor.ts";
import type { IngestPhase } from "./ingest.ts";
import type { LoadReport } from "./load-data.ts";
import type { MachineFacts } from "./machine.ts";
import type { Latency } from "./stats.ts";

export type RunResult = {
  mode: "cold" | "warm";
  connections: number;
  requests: number;
  rps: number;
  latency: Latency;
  errors: number;
  statusCounts: Record<string, number>;
  cacheCounts: Record<string, number>;
  errorBodies: string[];
  /** 1-minute load average right after the run (the machine has 2 cores). */
  load1: number;
  maxPage?: number;
};

export type QueryResult = {
  name: string;
  title: string;
  floorRef: string;
  trap?: string;
  example: string;
  runs: RunResult[];
  floor: FloorResult | null;
  /** The driver floor (bench/driver-floor.ts): the cold requests' statements from a minimal Worker, per concurrency. */
  driver?: RunResult[];
  plan: { file: string; seqScan: boolean; executionMs: number } | null;
  /** Response sizes of a sample of the cold requests (the tiles' goal is ≤ 100 kB). */
  bytes?: { p50: number; max: number; samples: number };
};

export type Overheads = {
  pgSelect1: Latency;
  standInSelect1: Latency;
  workerHealth: Latency;
  workerNoRoute: Latency;
  /** One Redis command over the Upstash REST stand-in. */
  upstashPing: Latency;
  /** A CORS preflight: answered by the Worker's middleware, no I/O. The request hop plus the Worker itself. */
  workerPreflight: Latency;
};

export type BenchReport = {
  options: Record<string, unknown>;
  machine: MachineFacts;
  load: LoadReport;
  overheads: Overheads;
  queries: QueryResult[];
  ingest: IngestPhase[];
  seqScanFailures: string[];
};

/**
 * The reference direct-SQL figures (docs/query-design.md "Reference figures": 1M rows, c=1, p50 / p95 / p99 ms)
 * for the query each benchmark query corresponds to.
 */
const NOTES_FLOOR: Record<string, [number, number, number]> = {
  a: [0.522, 0.811, 1.17],
  b2: [0.87, 1.409, 1.92],
  c2: [0.924, 1.495, 2.324],
  "c4/c5": [0.552, 1.091, 1.36],
  "d1/d2": [0.446, 4.042, 10.952],
  e1: [0.176, 0.348, 0.4],
  f: [39.4, 115, 117.6],
  g1: [0.424, 0.639, 0.757],
  d2: [158, 3369, 6173],
  c3: [75.3, 190, 209],
  "a (Newcastle)": [0.407, 6.861, 10.43],
};

const f = (x: number | undefined, digits = 2) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(digits));
const int = (x: number) => Math.round(x).toLocaleString("en");

/**
 * CPU µs one item cost during a phase: Postgres, the Worker, the rest of the data plane (stand-ins,
 * PgBouncer, Redis) and, apart, the load generator (which includes its own start-up). `total` is the
 * system's: everything but the load generator.
 */
function cpuPerItem(p: IngestPhase) {
  const c = p.cpuSeconds;
  if (!c || p.items === 0) return null;
  const us = (s: number) => (s * 1e6) / p.items;
  const rest = us(c.bench + c.pgbouncer + c.redis);
  return {
    postgres: us(c.postgres),
    workerd: us(c.workerd),
    rest,
    load: us(c["load generator"]),
    total: us(c.postgres + c.workerd) + rest,
  };
}

function ratio(api: number, db: number | undefined): string {
  return db && db > 0 ? `${(api / db).toFixed(1)}×` : "–";
}

function hitShare(run: RunResult): string {
  const total = Object.values(run.cacheCounts).reduce((a, b) => a + b, 0);
  return total ? `${Math.round((100 * (run.cacheCounts.hit ?? 0)) / total)} %` : "–";
}

/** The driver floor's run at this concurrency, if the query has one. */
const driverRun = (q: QueryResult, connections: number) => q.driver?.find((x) => x.connections === connections);

/** `floor`: what this run measured that bounds the figure from below, where a target is missed. */
type Target = { what: string; target: string; measured: string; met: boolean | null; floor?: string };

export function targets(r: BenchReport): Target[] {
  const run = (q: string, mode: "cold" | "warm", c = 1) =>
    r.queries.find((x) => x.name === q)?.runs.find((x) => x.mode === mode && x.connections === c);
  const out: Target[] = [];
  const searches = ["list_filtered", "radius_5km", "bbox_city", "bbox_country", "text"];
  const warm = searches.map((q) => [q, run(q, "warm")?.latency.p50] as const).filter(([, v]) => v !== undefined);
  if (warm.length)
    out.push({
      what: "warm (cached) search p50",
      target: "≤ 5 ms",
      measured: warm.map(([q, v]) => `${q} ${f(v)}`).join(", "),
      met: warm.every(([, v]) => (v ?? 1e9) <= 5),
    });
  const cold = ["list_filtered", "radius_5km", "bbox_city", "bbox_country"]
    .map((q) => [q, run(q, "cold")?.latency.p95] as const)
    .filter(([, v]) => v !== undefined);
  if (cold.length)
    out.push({
      what: "cold filtered / radius / bbox p95",
      target: "≤ 50 ms",
      measured: cold.map(([q, v]) => `${q} ${f(v)}`).join(", "),
      met: cold.every(([, v]) => (v ?? 1e9) <= 50),
    });
  const tiles = r.queries.filter((q) => q.name.startsWith("tile_"));
  if (tiles.length) {
    out.push({
      what: "tiles of the densest city: DB p99 (cold)",
      target: "≤ 50 ms",
      measured: tiles.map((q) => `${q.name} ${f(q.floor?.latency.p99)}`).join(", "),
      met: tiles.every((q) => (q.floor?.latency.p99 ?? 1e9) <= 50),
    });
    out.push({
      what: "tile size (largest sampled)",
      target: "≤ 100 kB",
      measured: tiles.map((q) => `${q.name} ${((q.bytes?.max ?? 0) / 1000).toFixed(1)} kB`).join(", "),
      met: tiles.every((q) => (q.bytes?.max ?? 1e9) <= 100_000),
    });
  }
  const byId = run("get_by_id", "cold");
  if (byId)
    out.push({ what: "get by id p95 (cold)", target: "≤ 10 ms", measured: f(byId.latency.p95), met: byId.latency.p95 <= 10 });
  const ratios = r.queries
    .map((q) => [q.name, run(q.name, "cold")?.latency.p50, q.floor?.latency.p50] as const)
    .filter(([, a, d]) => a !== undefined && d !== undefined);
  const o = r.overheads;
  const driverRatios = r.queries
    .filter((q) => driverRun(q, 1) && q.floor)
    .map((q) => `${q.name} ${ratio(driverRun(q, 1)?.latency.p50 ?? 0, q.floor?.latency.p50)}`);
  // A cold search's fixed path: the request hop and the Worker (a preflight), the cache lookup (one
  // Redis hop) and the SQL hop (the stand-in's SELECT 1 less Postgres' own). The rate-limit call runs alongside.
  const hops = o.workerPreflight.p50 + o.upstashPing.p50 + (o.standInSelect1.p50 - o.pgSelect1.p50);
  if (ratios.length)
    out.push({
      what: "API ≤ 2× direct SQL (cold p50)",
      target: "≤ 2×",
      measured: ratios.map(([q, a, d]) => `${q} ${ratio(a ?? 0, d)}`).join(", "),
      met: ratios.every(([, a, d]) => (a ?? 0) <= 2 * (d ?? 0)),
      floor: `fixed hops ${f(hops)} ms (request + Worker ${f(o.workerPreflight.p50)}, Redis ${f(o.upstashPing.p50)}, SQL hop ${f(o.standInSelect1.p50 - o.pgSelect1.p50)}); best possible with them: ${ratios.map(([q, , d]) => `${q} ${ratio(hops + (d ?? 0), d)}`).join(", ")}${driverRatios.length ? `; the same SQL from a minimal Worker through the same driver, no cache lookup (driver floor / SQL): ${driverRatios.join(", ")}` : ""}`,
    });
  const newRate = r.ingest.find((p) => p.phase === "new");
  const copy = r.ingest.find((p) => p.phase === "copy");
  const sqlFloor = r.ingest.find((p) => p.phase === "new_sql");
  if (newRate) {
    const cpuFloor = (p: IngestPhase) => {
      const cpu = cpuPerItem(p);
      if (!cpu) return "";
      const bound = (r.machine.cpus * 1e6) / cpu.total;
      const postgresBound = (r.machine.cpus * 1e6) / cpu.postgres;
      return ` (system CPU ${int(cpu.total)} µs an item, Postgres ${int(cpu.postgres)}: ${r.machine.cpus} cores at that cost ≤ ${int(bound)}/s; for Postgres alone ≤ ${int(postgresBound)}/s)`;
    };
    out.push({
      what: "batch ingest, new",
      target: "≥ 3,000/s",
      measured: `${int(newRate.perSecond)}/s${cpuFloor(newRate)}`,
      met: newRate.perSecond >= 3000,
      floor: [
        sqlFloor &&
          `the API's write path, its SQL straight to Postgres on the same connections: ${int(sqlFloor.perSecond)}/s${cpuFloor(sqlFloor)}`,
        copy && `COPY of as many new rows into the same table, 1 stream: ${int(copy.perSecond)}/s${cpuFloor(copy)}`,
      ]
        .filter(Boolean)
        .join("; "),
    });
  }
  const same = r.ingest.find((p) => p.phase === "unchanged");
  if (same)
    out.push({
      what: "batch ingest, unchanged",
      target: "≥ 10,000/s",
      measured: `${int(same.perSecond)}/s`,
      met: same.perSecond >= 10000,
    });
  const p99s = r.queries.flatMap((q) =>
    q.runs.filter((x) => x.mode === "cold").map((x) => [`${q.name}@c${x.connections}`, x.latency.p99] as const),
  );
  const over = p99s.filter(([, v]) => v > 20);
  const driverOver = r.queries.flatMap((q) =>
    (q.driver ?? []).filter((x) => x.latency.p99 > 20).map((x) => `${q.name}@c${x.connections} ${f(x.latency.p99, 1)}`),
  );
  if (p99s.length)
    out.push({
      what: "no query p99 > 20 ms (cold, incl. traps)",
      target: "≤ 20 ms",
      measured: over.length ? `over: ${over.map(([q, v]) => `${q} ${f(v, 1)}`).join(", ")}` : "all within",
      met: over.length === 0,
      floor: `health (1 SQL + 1 Redis call, no work) p99 ${f(o.workerHealth.p99)} ms; one stand-in hop p99: SQL ${f(o.standInSelect1.p99)}, Redis ${f(o.upstashPing.p99)}${driverOver.length ? `; driver floor p99 over 20 ms: ${driverOver.join(", ")}` : ""}`,
    });
  const traps = r.queries.filter((q) => q.trap && q.floor);
  if (traps.length) {
    const trapOver = traps.filter((q) => (q.floor?.latency.p99 ?? 0) > 20);
    out.push({
      what: "planner traps p99 in the database (the Worker's SQL replayed, 1 connection)",
      target: "≤ 20 ms",
      measured: traps.map((q) => `${q.name} ${f(q.floor?.latency.p99, 2)}`).join(", "),
      met: trapOver.length === 0,
    });
  }
  return out;
}

export function markdown(r: BenchReport): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push(`# Pillow benchmark — ${r.load.rows.toLocaleString("en")} properties`, "");
  lines.push(
    `Run ${m.date} on ${m.os}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM (load average at start ${m.loadAverageAtStart.join(" / ")}); ` +
      `Node ${m.node}, ${m.postgres}, PostGIS ${m.postgis}, wrangler ${m.wrangler} (workerd ${m.workerd}).`,
    "",
    `Postgres settings: ${Object.entries(m.postgresSettings)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}.`,
    "",
    `Options: ${JSON.stringify(r.options)}. Load generator: autocannon in its own process; every request goes through ` +
      "the Worker bundle in workerd (Miniflare, on the Worker's own socket: no dev proxy, no entry Worker) → Neon HTTP stand-in → Postgres (interactive transactions: Neon WebSocket stand-in → PgBouncer → Postgres), and Redis through the Upstash REST stand-in. " +
      "Latency runs use 1 connection; throughput runs the configured concurrency. " +
      "**cold** = every request a distinct query (fresh parameters) while the cache data version is bumped continuously, so nothing is served from the cache; measured on a second pass over the same requests, so that the API and the floors read the same Postgres buffers; " +
      "**warm** = a fixed set of 20 requests, each answered once before the measurement. " +
      "**DB floor** = the exact statements the Worker sent for each cold request (recorded by the stand-in), replayed over one direct `pg` connection from a worker thread of its own (no GC pauses of the benchmark process in its timings), timed on its second pass.",
    "",
  );
  lines.push(
    "## Targets",
    "",
    "| target | goal | measured | met | floor measured in this run (where missed) |",
    "|---|---|---|:-:|---|",
  );
  for (const t of targets(r))
    lines.push(
      `| ${t.what} | ${t.target} | ${t.measured} | ${t.met === null ? "–" : t.met ? "yes" : "**no**"} | ${t.met === false && t.floor ? t.floor : ""} |`,
    );
  const sized = r.queries.filter((q) => q.bytes);
  if (sized.length) {
    lines.push("", "## Response sizes", "", "| query | samples | p50 bytes | max bytes |", "|---|--:|--:|--:|");
    for (const q of sized)
      lines.push(
        `| ${q.name} | ${q.bytes?.samples} | ${q.bytes?.p50.toLocaleString("en")} | ${q.bytes?.max.toLocaleString("en")} |`,
      );
  }
  lines.push("", "## Read mix", "");
  lines.push(
    "| query | floor ref | mode | conns | req/s | p50 | p95 | p99 | errors | cache hits | DB p50 | DB p95 | DB p99 | API/DB p50 | API/DB p95 | driver p50 | driver p99 | API/driver p50 | stmts/req | notes floor p50 / p99 | plan | load |",
    "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|",
  );
  for (const q of r.queries) {
    for (const run of q.runs) {
      const d = q.floor?.latency;
      const notes = NOTES_FLOOR[q.floorRef];
      const plan = q.plan ? `[${q.plan.seqScan ? "**SEQ SCAN**" : "index"}](plans/${q.plan.file})` : "–";
      const drv = run.mode === "cold" ? driverRun(q, run.connections)?.latency : undefined;
      lines.push(
        `| ${q.name}${q.trap ? " ⚠" : ""} | ${q.floorRef} | ${run.mode} | ${run.connections} | ${int(run.rps)} | ${f(run.latency.p50)} | ${f(run.latency.p95)} | ${f(run.latency.p99)} | ${run.errors} | ${hitShare(run)} | ${f(d?.p50)} | ${f(d?.p95)} | ${f(d?.p99)} | ${ratio(run.latency.p50, d?.p50)} | ${ratio(run.latency.p95, d?.p95)} | ${f(drv?.p50)} | ${f(drv?.p99)} | ${ratio(run.latency.p50, drv?.p50)} | ${q.floor?.statementsPerRequest ?? "–"} | ${notes ? `${f(notes[0])} / ${f(notes[2])}` : "–"} | ${plan} | ${f(run.load1, 1)} |`,
      );
    }
  }
  lines.push(
    "",
    "Latencies in ms. load = the machine's 1-minute load average after the run (2 cores; other engineers' processes included). ⚠ = a planner trap of docs/query-design.md. DB = this run's floor (the Worker's statements replayed directly); driver = the driver floor (the same statements sent by a minimal Worker through the same Neon driver and stand-in, rows answered as JSON: `bench/driver-floor.ts`), cold runs only; notes floor = the direct-SQL figure of the corresponding query in docs/query-design.md (Reference figures) (measured with pgbench on a similar schema). Example request of each query:",
    "",
  );
  for (const q of r.queries) lines.push(`- \`${q.name}\` (${q.title}): \`${q.example}\``);
  const errs = r.queries.flatMap((q) => q.runs.flatMap((x) => x.errorBodies.map((b) => `${q.name} ${x.mode}: ${b}`)));
  if (errs.length) lines.push("", "Error samples:", "", ...errs.slice(0, 10).map((e) => `- \`${e.replace(/`/g, "'")}\``));
  lines.push("", "## Where the time goes (1 connection, ms)", "");
  const o = r.overheads;
  lines.push(
    "| path | p50 | p95 | p99 |",
    "|---|--:|--:|--:|",
    `| \`SELECT 1\` over a direct pg connection | ${f(o.pgSelect1.p50, 3)} | ${f(o.pgSelect1.p95, 3)} | ${f(o.pgSelect1.p99, 3)} |`,
    `| \`SELECT 1\` through the Neon HTTP stand-in (one HTTP hop) | ${f(o.standInSelect1.p50, 3)} | ${f(o.standInSelect1.p95, 3)} | ${f(o.standInSelect1.p99, 3)} |`,
    `| Redis \`PING\` through the Upstash REST stand-in (one HTTP hop) | ${f(o.upstashPing.p50, 3)} | ${f(o.upstashPing.p95, 3)} | ${f(o.upstashPing.p99, 3)} |`,
    `| CORS preflight through the Worker (no I/O: the request hop and the Worker's own work) | ${f(o.workerPreflight.p50, 3)} | ${f(o.workerPreflight.p95, 3)} | ${f(o.workerPreflight.p99, 3)} |`,
    `| \`GET /api/v1/health\` through the Worker (1 SQL + 1 Redis call) | ${f(o.workerHealth.p50, 3)} | ${f(o.workerHealth.p95, 3)} | ${f(o.workerHealth.p99, 3)} |`,
    `| unknown API path through the Worker (middleware + 404 envelope, no SQL) | ${f(o.workerNoRoute.p50, 3)} | ${f(o.workerNoRoute.p95, 3)} | ${f(o.workerNoRoute.p99, 3)} |`,
  );
  lines.push("", "Postgres time per request as the stand-in measured it during the cold 1-connection runs:", "");
  lines.push("| query | API p50 | stand-in DB p50 | API − DB p50 |", "|---|--:|--:|--:|");
  for (const q of r.queries) {
    const cold = q.runs.find((x) => x.mode === "cold" && x.connections === 1);
    if (cold && q.floor)
      lines.push(
        `| ${q.name} | ${f(cold.latency.p50)} | ${f(q.floor.standInDbMs.p50)} | ${f(cold.latency.p50 - q.floor.standInDbMs.p50)} |`,
      );
  }
  if (r.ingest.length) {
    lines.push(
      "",
      "## Ingest",
      "",
      'Each timed phase follows an untimed one of the same size (new records through the API; new rows through COPY), so both are measured past the first write of each index page after the load\'s checkpoints. CPU is what each process group used during the phase (from /proc), in µs per item; on this machine all of them share the same cores. "rest" is the stand-ins, PgBouncer and Redis; the load generator (autocannon in a child process, its start-up included) is shown apart and left out of the bounds in the targets table. `new_sql` is the database floor of `new`: as many more new records, received and prepared by the pipeline\'s own steps untimed, then the pipeline\'s write step with its exact statements sent straight to Postgres on the same number of connections ("rest" there is the benchmark process running that step). "autovacuum meanwhile" is the autovacuum work seen running during the phase (its CPU is in the phase\'s Postgres figure): autovacuum is off on the tables ingest writes while the phases run, and each phase is followed by their VACUUM (ANALYZE), whose time is "vacuum after".',
      "",
      "| phase | items | seconds | items/s | batch p50 | batch p95 | errors | HTTP SQL per batch | CPU µs/item: Postgres | Worker | rest | load generator | WAL KB/item | full-page images/item | checkpoints | autovacuum meanwhile | vacuum after, s | outcomes |",
      "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|---|",
    );
    for (const p of r.ingest) {
      const cpu = cpuPerItem(p);
      lines.push(
        `| ${p.phase} | ${int(p.items)} | ${f(p.seconds, 1)} | ${int(p.perSecond)} | ${f(p.batchLatency?.p50, 0)} | ${f(p.batchLatency?.p95, 0)} | ${p.errors} | ${p.httpSqlPerBatch ? `${f(p.httpSqlPerBatch.statements, 1)} stmts, ${f(p.httpSqlPerBatch.ms, 1)} ms` : "–"} | ${cpu ? int(cpu.postgres) : "–"} | ${cpu ? int(cpu.workerd) : "–"} | ${cpu ? int(cpu.rest) : "–"} | ${cpu ? int(cpu.load) : "–"} | ${p.wal ? f(p.wal.bytes / 1024 / p.items, 1) : "–"} | ${p.wal ? f(p.wal.fullPageImages / p.items, 2) : "–"} | ${p.wal ? p.wal.checkpoints : "–"} | ${p.background.map((w) => w.replace(/^autovacuum: /, "")).join(", ") || "none"} | ${f(p.vacuumAfterSeconds, 1)} | ${Object.entries(
          p.totals,
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")} |`,
      );
    }
    const bad = r.ingest.flatMap((p) => p.errorBodies.map((b) => `${p.phase}: ${b}`));
    if (bad.length) lines.push("", ...bad.slice(0, 5).map((b) => `- \`${b.replace(/`/g, "'")}\``));
  }
  const l = r.load;
  lines.push(
    "",
    "## Load",
    "",
    ...(l.reused
      ? [
          "The table was loaded by an earlier run into the same data folder (`--data-dir`); the figures below are that load's.",
          "",
        ]
      : []),
    `COPY of ${int(l.rows)} properties (+ their property_sources rows) in ${l.streams} stream(s) without secondary indexes: ${f(l.copySeconds, 1)} s (${int(l.copyRowsPerSecond)} rows/s). ` +
      `VACUUM (ANALYZE): ${f(l.vacuumAnalyzeSeconds, 1)} s. Stats rollup refresh (its cron's work): ${f(l.rollupRefreshSeconds ?? 0, 1)} s. Places view refresh (the same cron): ${f(l.placesRefreshSeconds ?? 0, 1)} s. ${l.tileCellsRebuildSeconds === undefined ? "" : `Map tiles' rollup rebuild (\`tile_cells_rebuild()\`): ${f(l.tileCellsRebuildSeconds, 1)} s. `}Heap ${f(l.tableBytes / 2 ** 20, 0)} MiB, TOAST ${f(l.toastBytes / 2 ** 20, 0)} MiB, indexes ${f(l.indexBytes / 2 ** 20, 0)} MiB.`,
    "",
    "| index | build s | MiB |",
    "|---|--:|--:|",
    ...l.indexes.map((i) => `| ${i.name} | ${f(i.seconds, 1)} | ${f(i.bytes / 2 ** 20, 1)} |`),
  );
  if (r.seqScanFailures.length) {
    lines.push("", `**Plan check failed:** sequential scan of \`properties\` in ${r.seqScanFailures.join(", ")}.`);
  }
  return `${lines.join("\n")}\n`;
}
