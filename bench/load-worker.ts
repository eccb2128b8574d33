/**
 * One autocannon run in its own process (so the load generator does not share an event loop with the
 * local stand-ins it measures). Reads a job from the JSON file named in argv[2], writes the result
 * JSON to stdout. Every request takes the next path (or body) from the job's list, round robin.
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

export type LoadJob = {
  url: string;
  method: "GET" | "POST";
  /** Request paths (GET) cycled in order. */
  paths: string[];
  /** Request bodies (POST) cycled in order; with `stopAfterBodies` each is sent once. */
  bodies?: string[];
  headers: Record<string, string>;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration: number;
  /** Stop after this many requests. */
  amount?: number;
  timeoutSeconds: number;
  /** Cursor walks: each connection follows `pagination.next_cursor` this many pages, then takes the next path. */
  cursorPages?: number;
  /** Sum the numeric fields of `data.totals` over all answers (batch ingest outcomes). */
  collectTotals?: boolean;
};

/** Absolute start and end (ms since the epoch, fractional) and status of one request. */
export type LoadSample = { start: number; end: number; status: number };

export type LoadResult = {
  samples: LoadSample[];
  errors: number;
  timeouts: number;
  /** From the first request's start to the last response's end. */
  seconds: number;
  statusCounts: Record<string, number>;
  /** Values of the response's cache header (\`X-Cache\`, else \`Cache-Status\`), counted. */
  cacheCounts: Record<string, number>;
  /** A few bodies of non-2xx answers, for the report. */
  errorBodies: string[];
  totals: Record<string, number>;
  /** Deepest page reached by a cursor walk. */
  maxPage: number;
};

type Walk = { base: string; cursor: string | null; page: number };
type WalkContext = { walk?: Walk };

async function main() {
  const job = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as LoadJob;
  let next = 0;
  const samples: LoadSample[] = [];
  const statusCounts: Record<string, number> = {};
  const errorBodies: string[] = [];
  const cacheCounts: Record<string, number> = {};
  const totals: Record<string, number> = {};
  let maxPage = 0;
  const pendingPages: Walk[] = [];
  const now = () => performance.timeOrigin + performance.now();
  const started = now();
  const instance = autocannon({
    url: job.url,
    // autocannon refuses an `amount` below `connections` ("connections cannot be greater than
    // amount"): a small second pass (few samples in a short first pass) runs on fewer connections.
    connections: job.amount ? Math.max(1, Math.min(job.connections, job.amount)) : job.connections,
    pipelining: 1,
    timeout: job.timeoutSeconds,
    ...(job.amount ? { amount: job.amount } : { duration: job.duration }),
    headers: job.headers,
    requests: [
      {
        method: job.method,
        setupRequest: (req: Record<string, unknown>, context: WalkContext) => {
          if (job.cursorPages) {
            // autocannon gives each request cycle a fresh context, so walks in progress live in a
            // shared queue: a response queues its next page, the next free connection fetches it.
            const walk = pendingPages.shift() ?? { base: job.paths[next++ % job.paths.length] ?? "/", cursor: null, page: 1 };
            context.walk = walk;
            maxPage = Math.max(maxPage, walk.page);
            return { ...req, path: walk.cursor ? `${walk.base}&cursor=${encodeURIComponent(walk.cursor)}` : walk.base };
          }
          const i = next++;
          const path = job.paths[i % job.paths.length] ?? "/";
          const body = job.bodies?.[i % job.bodies.length];
          return body === undefined ? { ...req, path } : { ...req, path, body };
        },
        onResponse: (status: number, body: string, context: WalkContext, headers: Record<string, string>) => {
          if (status >= 400 && errorBodies.length < 5) errorBodies.push(`${status} ${String(body).slice(0, 300)}`);
          if (job.cursorPages || job.collectTotals) {
            try {
              const json = JSON.parse(body) as {
                pagination?: { next_cursor?: string | null };
                data?: { totals?: Record<string, unknown>; results?: Array<{ outcome?: string; errors?: unknown }> };
              };
              for (const r of json.data?.results ?? []) {
                if (r.outcome === "invalid" && errorBodies.length < 5)
                  errorBodies.push(`invalid item: ${JSON.stringify(r).slice(0, 300)}`);
              }
              const walk = context.walk;
              const cursor = json.pagination?.next_cursor;
              if (job.cursorPages && walk && status === 200 && cursor && walk.page < job.cursorPages) {
                pendingPages.push({ base: walk.base, cursor, page: walk.page + 1 });
              }
              for (const [k, v] of Object.entries(json.data?.totals ?? {})) {
                if (typeof v === "number") totals[k] = (totals[k] ?? 0) + v;
              }
            } catch {
              // not JSON: nothing to follow or count
            }
          }
          // autocannon keeps the header names' case as sent.
          const header = (name: string) => Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
          const cache = String(header("x-cache") ?? header("cache-status") ?? "-");
          cacheCounts[cache] = (cacheCounts[cache] ?? 0) + 1;
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    const end = now();
    samples.push({ start: end - responseTime, end, status: statusCode });
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  // The span from the first request to the last response. autocannon settles on its next 1-second
  // tick after the last response, which added up to a second to every run (a 20-batch ingest phase
  // took 0.3 s and was reported as 1.03 s).
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const x of samples) {
    first = Math.min(first, x.start);
    last = Math.max(last, x.end);
  }
  const span = samples.length ? last - first : 0;
  const out: LoadResult = {
    samples,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: (span > 0 ? span : now() - started) / 1000,
    statusCounts,
    cacheCounts,
    errorBodies,
    totals,
    maxPage,
  };
  process.stdout.write(JSON.stringify(out));
}

await main();
