/**
 * The floor replay's timing loop, run in a worker thread: its own V8 heap holds only the statements
 * being replayed, so the timings do not include garbage-collection pauses of the benchmark process
 * (which holds every recorded statement and response of the run, and showed up as 20 ms outliers in
 * the p99 of sub-millisecond queries).
 */
import { parentPort, workerData } from "node:worker_threads";
import pg from "pg";

type Job = { databaseUrl: string; requests: Array<Array<{ query: string; params: unknown[] }>>; seconds: number };

const rawText = { getTypeParser: () => (value: string) => value };

async function replay({ databaseUrl, requests, seconds }: Job): Promise<number[]> {
  const client = new pg.Client(databaseUrl);
  await client.connect();
  try {
    const run = async (statements: Job["requests"][number]) => {
      const t0 = performance.now();
      for (const s of statements) await client.query({ text: s.query, values: s.params, rowMode: "array", types: rawText });
      return performance.now() - t0;
    };
    // An untimed warm-up: a new connection's first queries pay page faults (floor notes P12).
    for (const r of requests.slice(0, 50)) await run(r);
    const times: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    for (const r of requests) {
      times.push(await run(r));
      if (performance.now() > deadline) break;
    }
    return times;
  } finally {
    await client.end();
  }
}

replay(workerData as Job).then(
  (times) => parentPort?.postMessage({ times }),
  (err: Error) => parentPort?.postMessage({ error: err.message }),
);
