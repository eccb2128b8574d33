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
import { delimiter, join, resolve } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

export type RunningWorker = { url: string; stop: () => Promise<void> };

function buildBundle(outDir: string): string {
  const build = spawnSync("node_modules/.bin/wrangler", ["deploy", "--dry-run", "--outdir", outDir], {
    encoding: "utf8",
    // wrangler needs Node 22: the project's own (node_modules/.bin/node) comes first on PATH.
    env: {
      ...process.env,
      PATH: `${resolve("node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`,
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
    },
  });
  const script = join(outDir, "index.js");
  if (build.status !== 0 || !existsSync(script)) {
    throw new Error(`wrangler deploy --dry-run failed (${build.status}):\n${build.stdout}\n${build.stderr}`);
  }
  return script;
}

export async function startWorker(bindings: Record<string, string>, log: (line: string) => void): Promise<RunningWorker> {
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
