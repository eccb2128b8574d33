/**
 * The floor replay's timing loop, run in a worker thread: its own V8 heap holds only the statements
 * being replayed, so the timings do not include garbage-collection pauses of the benchmark process
 * (which holds every recorded statement and response of the run, and showed up as 20 ms outliers in
 * the p99 of sub-millisecond queries).
 */
import { parentPort, workerData } from "node:worker_threads";
import pg from "pg";

type Job = { requests: Array<Array<{ query: string; params: unknown[] }>>; seconds: number };

const rawText = { getTypeParser: () => (value: string) => value };

// One connection for the whole benchmark, like the Worker's pooled ones, and it touches every page of
// the big tables first: a backend's first touch of a shared-memory page is a page fault
// (docs/query-design.md "P12"), a cost of new connections, not of the query.
const client = new pg.Client((workerData as { databaseUrl: string }).databaseUrl);
const connected = client.connect().then(() =>
  client.query(
    `SELECT sum(pg_prewarm(c.oid)) FROM pg_class c
      WHERE c.relname IN ('properties', 'property_sources', 'property_stats_city')
         OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN ('properties'::regclass, 'property_sources'::regclass, 'property_stats_city'::regclass))
         OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relname = 'properties')`,
  ),
);

async function run(statements: Job["requests"][number]): Promise<number> {
  const t0 = performance.now();
  for (const s of statements) await client.query({ text: s.query, values: s.params, rowMode: "array", types: rawText });
  return performance.now() - t0;
}

async function replay({ requests, seconds }: Job): Promise<number[]> {
  await connected;
  // An untimed pass first, as the API's measured run was its second pass over the same requests.
  const warmUntil = performance.now() + seconds * 1000;
  for (const r of requests) {
    await run(r);
    if (performance.now() > warmUntil) break;
  }
  const times: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  for (const r of requests) {
    times.push(await run(r));
    if (performance.now() > deadline) break;
  }
  return times;
}

parentPort?.on("message", (job: Job | "close") => {
  if (job === "close") {
    void client.end().finally(() => process.exit(0));
    return;
  }
  replay(job).then(
    (times) => parentPort?.postMessage({ times }),
    (err: Error) => parentPort?.postMessage({ error: err.message }),
  );
});
