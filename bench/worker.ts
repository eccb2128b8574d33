/**
 * Runs the real Worker for the benchmark: the bundle `wrangler deploy` would upload (built with
 * `--dry-run`), served by Miniflare's workerd with the bindings of wrangler.toml plus the benchmark's
 * data plane.
 *
 * Not `wrangler dev`: it puts its own proxy Worker in front of the real one and runs the real one
 * with the inspector, request tracing and structured-log piping on; together that costs 8-16 ms per
 * request on these machines (measured on the same request), none of which exists in production.
 * Requests reach the Worker on a socket of its own, not through Miniflare's entry Worker (a routing
 * and `cf`-emulation layer of local development): that layer adds 0.8 ms per request here (p50 of
 * an empty Worker, 1.45 ms through it vs 0.62 ms direct, the same as a bare workerd).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, join, resolve } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

export type RunningWorker = { url: string; stop: () => Promise<void> };

/** The `main` module of a wrangler config: the bundle is named after it. */
function mainOf(config: string): string {
  return String(unstable_getMiniflareWorkerOptions(config).main ?? "index.ts");
}

function buildBundle(outDir: string, config = "wrangler.toml"): string {
  const build = spawnSync("node_modules/.bin/wrangler", ["deploy", "--dry-run", "-c", config, "--outdir", outDir], {
    encoding: "utf8",
    // wrangler needs Node 22: the project's own (node_modules/.bin/node) comes first on PATH.
    env: {
      ...process.env,
      PATH: `${resolve("node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`,
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
    },
  });
  const script = join(outDir, `${basename(mainOf(config), ".ts")}.js`);
  if (build.status !== 0 || !existsSync(script)) {
    throw new Error(`wrangler deploy --dry-run failed (${build.status}):\n${build.stdout}\n${build.stderr}`);
  }
  return script;
}

export async function startWorker(
  bindings: Record<string, string>,
  log: (line: string) => void,
  /** Replaces wrangler.toml's rate-limiting bindings (the edge's per-IP allowance), e.g. lifted for a benchmark. */
  ratelimits?: Record<string, { namespace_id: string; simple: { limit: number; period: 10 | 60 } }>,
): Promise<RunningWorker> {
  const dir = mkdtempSync(join(tmpdir(), "pillow-bench-worker-"));
  // wrangler refuses to build when the assets folder is missing (the site may not be built).
  if (!existsSync("site/dist")) mkdirSync("site/dist", { recursive: true });
  const scriptPath = buildBundle(join(dir, "dist"));
  const { workerOptions } = unstable_getMiniflareWorkerOptions("wrangler.toml");
  // The bundle is one ES module, so wrangler's module rules (for unbundled imports) do not apply.
  const { modulesRules: _unused, ...options } = workerOptions;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      // The access log is one line per request: printing it would load the machine being measured.
      handleStructuredLogs: () => {},
      workers: [
        {
          ...options,
          name: "pillow-bench",
          unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
          modules: true,
          scriptPath,
          modulesRoot: join(dir, "dist"),
          bindings: { ...(options.bindings as Record<string, unknown>), ...bindings },
          ...(ratelimits ? { ratelimits } : {}),
        },
      ],
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  const stop = async () => {
    await mf.dispose().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await mf.ready;
    const url = (await mf.unsafeGetDirectURL("pillow-bench")).origin;
    const res = await fetch(`${url}/api/v1/health`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`the Worker's health check answered ${res.status}`);
    const limit = res.headers.get("ratelimit-limit");
    log(`worker ready at ${url}${limit ? ` (rate limit ${limit} per window)` : ""}`);
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Both Workers as `npm run deploy` ships them, and a minimal Worker beside them as the floor of an edge answer. */
export type RunningSplit = RunningWorker & {
  /** The minimal Worker (FLOOR_WORKER): `/none` answers with no I/O, `/cache?n=1|2&bytes=…[&limit=1]` from the Cache API. */
  floorUrl: string;
};

/**
 * The least a Worker can take to answer from the Cache API in this harness: `n` sequential `match`es of a
 * stored body of `bytes` bytes (an edge hit makes two: the generation, then the entry), optionally with
 * the rate-limiting binding asked alongside (as an edge hit asks it), or nothing at all.
 */
const FLOOR_WORKER = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/none") return new Response("ok");
    const bytes = Number(url.searchParams.get("bytes") ?? 1000);
    const n = Number(url.searchParams.get("n") ?? 1);
    // With \`limit=1\`, the rate-limiting binding is asked alongside the last read, as an edge hit asks it.
    const allowance = url.searchParams.get("limit") === "1" ? env.LIMITER.limit({ key: "ip:floor" }) : undefined;
    let hit;
    for (let i = 0; i < n; i++) {
      // As an edge hit: small entries first (the generation), the answer last.
      const key = "https://floor.pillow.internal/" + bytes + "/" + n + "/" + i;
      if (hit) await hit.text();
      hit = await caches.default.match(key);
      if (!hit) {
        const body = "x".repeat(i + 1 < n ? 16 : bytes);
        await caches.default.put(key, new Response(body, { headers: { "cache-control": "public, max-age=3600" } }));
        hit = await caches.default.match(key);
      }
    }
    if (allowance && !(await allowance).success) return new Response("limited", { status: 429 });
    return hit;
  },
};`;

/**
 * The front Worker (wrangler.front.toml) and the data Worker (wrangler.toml) in one workerd, each from
 * the bundle `wrangler deploy --dry-run` builds. The front's `DATA` service binding goes through
 * `link` (scripts/local/region-link.ts: the simulated edge↔region trip) to the data Worker; requests
 * reach the front Worker on a socket of its own.
 */
export async function startSplitWorkers(
  bindings: Record<string, string>,
  log: (line: string) => void,
  link: <Req, Res>(forward: (request: Req) => Promise<Res>) => (request: Req) => Promise<Res>,
  ratelimits?: Record<string, { namespace_id: string; simple: { limit: number; period: 10 | 60 } }>,
): Promise<RunningSplit> {
  const dir = mkdtempSync(join(tmpdir(), "pillow-bench-split-"));
  if (!existsSync("site/dist")) mkdirSync("site/dist", { recursive: true });
  const dataScript = buildBundle(join(dir, "data"), "wrangler.toml");
  const frontScript = buildBundle(join(dir, "front"), "wrangler.front.toml");
  const { modulesRules: _d, ...data } = unstable_getMiniflareWorkerOptions("wrangler.toml").workerOptions;
  const { modulesRules: _f, ...front } = unstable_getMiniflareWorkerOptions("wrangler.front.toml").workerOptions;
  let mf: Miniflare | undefined;
  const toData = link(async (request: Request) => {
    if (!mf) throw new Error("the data Worker is not running");
    return (await mf.getWorker("pillow")).fetch(request as never) as unknown as Response;
  });
  mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      handleStructuredLogs: () => {},
      workers: [
        {
          ...front,
          name: "pillow-edge",
          unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
          modules: true,
          scriptPath: frontScript,
          modulesRoot: join(dir, "front"),
          serviceBindings: { DATA: toData },
          ...(ratelimits ? { ratelimits } : {}),
        },
        {
          ...data,
          name: "pillow",
          modules: true,
          scriptPath: dataScript,
          modulesRoot: join(dir, "data"),
          bindings: { ...(data.bindings as Record<string, unknown>), ...bindings },
        },
        {
          name: "pillow-floor",
          compatibilityDate: front.compatibilityDate,
          unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
          modules: true,
          script: FLOOR_WORKER,
          ratelimits: { LIMITER: { namespace_id: "1002", simple: { limit: 1_000_000, period: 60 } } },
        },
      ],
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  const running = mf;
  const stop = async () => {
    await running.dispose().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await running.ready;
    const url = (await running.unsafeGetDirectURL("pillow-edge")).origin;
    const floorUrl = (await running.unsafeGetDirectURL("pillow-floor")).origin;
    const res = await fetch(`${url}/api/v1/health`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`the Workers' health check answered ${res.status}`);
    log(`front Worker ready at ${url} (data Worker behind its DATA binding), floor Worker at ${floorUrl}`);
    return { url, floorUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
