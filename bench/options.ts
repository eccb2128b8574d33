/** Command-line options of `npm run bench` (see docs/benchmarks.md). */
import { parseArgs } from "node:util";

export type BenchOptions = {
  /** Properties in the loaded table. */
  size: number;
  /** Seconds per measured load run (each query × mode). */
  duration: number;
  /** Concurrency of the throughput runs; latency runs use 1 connection. */
  connections: number;
  /** Records per ingest phase (new, unchanged, changed). */
  ingestSize: number;
  /** Items per ingest batch (the API allows up to 500). */
  batchSize: number;
  seed: number;
  /** Parallel COPY streams for the initial load. */
  loadStreams: number;
  /** Only these query names (comma-separated); empty = all. */
  only: string[];
  skipIngest: boolean;
  /** Where results go (Markdown, JSON, plans). */
  out: string;
  /** Only the reads under simulated distance (bench/distance.ts), on a small synthetic data set. */
  distance: boolean;
  /**
   * Keep the data plane's data here: a later run with the same folder, size and seed reuses the
   * loaded table (migrations still run) instead of loading it again. Unset = a throw-away folder.
   */
  dataDir?: string;
  /** Saved searches of the matching benchmark (`--only matching`). */
  searches: number;
  /** Whether `--size` was given (the matching benchmark has its own default). */
  sizeGiven: boolean;
};

const HELP = `npm run bench -- [options]
  --size N            properties to load (default 1000000)
  --duration S        seconds per measured run (default 10)
  --connections N     concurrency of the throughput runs (default 4)
  --ingest-size N     records per ingest phase (default 10000)
  --batch-size N      items per ingest batch (default 500)
  --seed N            data set seed (default 1)
  --load-streams N    parallel COPY streams (default 2)
  --only a,b          run only these queries (names as in the results table)
  --skip-ingest       skip the ingest phases
  --out DIR           results folder (default bench/results)
  --distance          only the reads at RTT 0 and 80 ms between Worker and data (bench/distance.ts)
  --data-dir DIR      keep the loaded database in DIR; a later run with the same DIR, size and seed
                      reuses it (pending migrations are applied) instead of loading again
  --searches N        saved searches for --only matching (default 100000; --size defaults to 200000 there)`;

export function parseOptions(argv: string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: "string", default: "1000000" },
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "4" },
      "ingest-size": { type: "string", default: "10000" },
      "batch-size": { type: "string", default: "500" },
      seed: { type: "string", default: "1" },
      "load-streams": { type: "string", default: "2" },
      only: { type: "string", default: "" },
      "skip-ingest": { type: "boolean", default: false },
      out: { type: "string", default: "bench/results" },
      distance: { type: "boolean", default: false },
      "data-dir": { type: "string" },
      searches: { type: "string", default: "100000" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return null;
  }
  const int = (name: string, value: string, min: number) => {
    const n = Number(value.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min} (got ${value})`);
    return n;
  };
  return {
    size: int("size", values.size, 1000),
    duration: int("duration", values.duration, 1),
    connections: int("connections", values.connections, 1),
    ingestSize: int("ingest-size", values["ingest-size"], 0),
    batchSize: int("batch-size", values["batch-size"], 1),
    seed: int("seed", values.seed, 0),
    loadStreams: int("load-streams", values["load-streams"], 1),
    only: values.only.split(",").filter(Boolean),
    skipIngest: values["skip-ingest"],
    out: values.out,
    distance: values.distance,
    ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
    searches: int("searches", values.searches, 1),
    sizeGiven: argv.some((a) => a === "--size" || a.startsWith("--size=")),
  };
}
