/**
 * Runs the real Worker under `wrangler dev` against the benchmark's data plane, like `npm start`
 * does, but with its bindings in a temporary env file (`--env-file`, which wrangler reads instead of
 * `.dev.vars`), so a developer's `.dev.vars` is never touched.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { freePort } from "../scripts/local/services.ts";

export type RunningWorker = { url: string; stop: () => Promise<void> };

export async function startWorker(bindings: Record<string, string>, log: (line: string) => void): Promise<RunningWorker> {
  const dir = mkdtempSync(join(tmpdir(), "pillow-bench-worker-"));
  const envFile = join(dir, "bench.env");
  // Single quotes: dotenv takes the value literally (JSON bindings such as RATE_LIMITS and the JWT keys).
  writeFileSync(
    envFile,
    `${Object.entries(bindings)
      .map(([k, v]) => `${k}='${v}'`)
      .join("\n")}\n`,
  );
  // wrangler refuses to start when the assets folder is missing (the site may not be built).
  if (!existsSync("site/dist")) mkdirSync("site/dist", { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    "node_modules/.bin/wrangler",
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--env-file",
      envFile,
      "--persist-to",
      join(dir, "state"),
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
      // wrangler needs Node 22: the project's own (node_modules/.bin/node) comes first on PATH.
      env: {
        ...process.env,
        PATH: `${resolve("node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`,
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_SEND_ERROR_REPORTS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
      },
    },
  );
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          resolve();
        }, 10_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    }
    try {
      const res = await fetch(`${url}/api/v1/health`);
      await res.arrayBuffer();
      if (res.status === 200) {
        const limit = res.headers.get("ratelimit-limit");
        log(`worker ready at ${url}${limit ? ` (rate limit ${limit} per window)` : ""}`);
        return { url, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not become healthy in 90 s:\n${output}`);
}
