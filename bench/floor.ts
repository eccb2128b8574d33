/**
 * The database floor, measured on the Worker's own SQL: while the API is under load, the Neon HTTP
 * stand-in reports every statement it runs (text, parameters, time); each statement is attributed to
 * the request whose time window contains it. The floor replays each request's statements, unchanged,
 * over one direct `pg` connection in a tight loop: exactly the SQL the API sent, without HTTP,
 * Workers or the stand-in. `EXPLAIN (ANALYZE, BUFFERS)` of the same statements gives the plans.
 */
import { Worker } from "node:worker_threads";
import pg from "pg";
import type { ObservedQuery } from "../scripts/local/neon-http.ts";
import type { LoadSample } from "./load.ts";
import { seqScansProperties } from "./plan-check.ts";
import { type Latency, summarise } from "./stats.ts";

/** Collects the stand-in's statements while switched on. */
export class SqlRecorder {
  private on = false;
  private entries: ObservedQuery[] = [];
  readonly observe = (q: ObservedQuery) => {
    if (this.on) this.entries.push(q);
  };
  start(): void {
    this.entries = [];
    this.on = true;
  }
  stop(): ObservedQuery[] {
    this.on = false;
    return this.entries;
  }
}

/** Statements per request, by time window (only exact for 1-connection runs, which is how it is used). */
export function attribute(samples: LoadSample[], statements: ObservedQuery[]): ObservedQuery[][] {
  const sorted = [...statements].sort((a, b) => a.at - b.at);
  const requests = [...samples].filter((s) => s.status < 400).sort((a, b) => a.start - b.start);
  const out: ObservedQuery[][] = [];
  let i = 0;
  for (const r of requests) {
    while (i < sorted.length && (sorted[i] as ObservedQuery).at < r.start) i++;
    const mine: ObservedQuery[] = [];
    while (i < sorted.length && (sorted[i] as ObservedQuery).at <= r.end) mine.push(sorted[i++] as ObservedQuery);
    out.push(mine);
  }
  return out;
}

export type FloorResult = {
  latency: Latency;
  /** Statements per request (median). */
  statementsPerRequest: number;
  /** Postgres time per request as the stand-in measured it during the API run (under load). */
  standInDbMs: Latency;
};

/**
 * Replays requests' statements over one long-lived connection, in a worker thread of its own (see
 * floor-replay.ts): a short untimed warm-up, then up to `seconds` per call.
 */
export class FloorReplayer {
  private readonly worker: Worker;

  constructor(databaseUrl: string) {
    this.worker = new Worker(new URL("./floor-replay.ts", import.meta.url), { workerData: { databaseUrl } });
  }

  async replay(requests: ObservedQuery[][], seconds: number): Promise<FloorResult | null> {
    const withSql = requests.filter((r) => r.length > 0);
    if (withSql.length === 0) return null;
    const job = { seconds, requests: withSql.map((r) => r.map((s) => ({ query: s.query, params: s.params }))) };
    const times = await new Promise<number[]>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.worker.once("error", onError);
      this.worker.once("message", (m: { times?: number[]; error?: string }) => {
        this.worker.off("error", onError);
        if (m.times) resolve(m.times);
        else reject(new Error(m.error));
      });
      this.worker.postMessage(job);
    });
    const counts = withSql.map((r) => r.length).sort((a, b) => a - b);
    return {
      latency: summarise(times),
      statementsPerRequest: counts[Math.floor(counts.length / 2)] ?? 0,
      standInDbMs: summarise(withSql.map((r) => r.reduce((sum, s) => sum + s.ms, 0))),
    };
  }

  async close(): Promise<void> {
    this.worker.postMessage("close");
    await new Promise((resolve) => this.worker.once("exit", resolve));
  }
}

export type PlanCheck = { text: string; seqScan: boolean; executionMs: number };

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the heaviest statement on `properties` of the slowest and of a few
 * typical requests. `seqScan` is true when any of them scans `properties` sequentially.
 */
export async function explainRequests(
  client: pg.Client,
  requests: ObservedQuery[][],
  sampleCount = 4,
): Promise<PlanCheck | null> {
  type Pick = { main: ObservedQuery; setup: ObservedQuery[] };
  const picks0: Pick[] = [];
  for (const r of requests) {
    const main = r.filter((s) => /\bproperties\b/.test(s.query)).sort((a, b) => b.ms - a.ms)[0];
    if (!main) continue;
    // The statement's own transaction and the planner settings set in it (set_config / SET LOCAL), so the
    // plan is the one the Worker got.
    const before = r.slice(0, r.indexOf(main));
    let begin = -1;
    before.forEach((q, k) => {
      if (/^\s*BEGIN\b/i.test(q.query)) begin = k;
    });
    const open = begin >= 0 && !before.slice(begin).some((q) => /^\s*COMMIT\b/i.test(q.query));
    const setup = open ? before.slice(begin) : [];
    picks0.push({ main, setup });
  }
  if (picks0.length === 0) return null;
  const bySlowest = [...picks0].sort((a, b) => b.main.ms - a.main.ms);
  const typical = picks0.filter((_, i) => i % Math.max(1, Math.floor(picks0.length / 2)) === 0);
  const picks = [...bySlowest.slice(0, 2), ...typical].slice(0, sampleCount);
  let text = "";
  let seqScan = false;
  let executionMs = 0;
  for (const [i, { main: s, setup }] of picks.entries()) {
    for (const q of setup) await client.query(q.query, q.params as unknown[]);
    let plan: string;
    try {
      // Once untimed first: a backend's first touch of a shared-buffer page is a page fault
      // (docs/query-design.md "P12"), which would otherwise be timed in the plan as if it were the query's cost.
      await client.query(s.query, s.params as unknown[]);
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${s.query}`,
        s.params as unknown[],
      );
      plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    } finally {
      if (setup.length) await client.query("ROLLBACK");
    }
    if (seqScansProperties(plan)) seqScan = true;
    executionMs = Math.max(executionMs, Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? 0));
    text += `-- sample ${i + 1}${i < 2 ? " (one of the slowest in the API run)" : " (typical)"}: ${s.ms.toFixed(2)} ms in the stand-in\n`;
    if (setup.length) text += `-- in the request's transaction: ${setup.map((q) => q.query).join("; ")}\n`;
    text += `-- params: ${JSON.stringify(s.params)}\n${s.query}\n\n${plan}\n\n`;
  }
  return { text, seqScan, executionMs };
}

export async function floorClient(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client(databaseUrl);
  await client.connect();
  return client;
}
