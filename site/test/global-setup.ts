/**
 * Browser-test setup (Node): its own data plane, migrations, the site built when stale, seed data,
 * then `wrangler dev` serving the Worker (API + built site + docs) on a free port. Tests get the
 * origin, the database URL and a service token through `inject`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../db/migrate";
import { freePort, startServices } from "../../scripts/local/services";
import { ensureSiteBuilt } from "../../scripts/site";
import { seedBrowserData } from "./seed";

declare module "vitest" {
  export interface ProvidedContext {
    siteOrigin: string;
    siteDatabaseUrl: string;
    siteServiceToken: string;
    siteSeed: import("./seed").Seed;
  }
}

export default async function setup(project: TestProject) {
  const log = (line: string) => console.log(`browser tests: ${line}`);
  const services = await startServices();
  let wrangler: ChildProcess | undefined;
  const persist = mkdtempSync(join(tmpdir(), "pillow-wrangler-"));
  const stop = async () => {
    if (wrangler && wrangler.exitCode === null) {
      const exited = new Promise((r) => wrangler!.once("exit", r));
      wrangler.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (wrangler.exitCode === null) wrangler.kill("SIGKILL");
    }
    await services.stop();
    rmSync(persist, { recursive: true, force: true });
  };
  try {
    await migrateDatabase(services.env.DATABASE_URL);
    ensureSiteBuilt(log);
    const seed = await seedBrowserData(services.env.DATABASE_URL);
    const port = await freePort();
    const { REDIS_PORT: _r, ...bindings } = services.env;
    const vars = Object.entries(bindings).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
    wrangler = spawn(
      join(process.cwd(), "node_modules/.bin/wrangler"),
      [
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--persist-to",
        persist,
        "--show-interactive-dev-session=false",
        ...vars,
      ],
      {
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: "false",
          WRANGLER_SEND_ERROR_REPORTS: "false",
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
        },
      },
    );
    let output = "";
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready on")) resolve();
      };
      wrangler!.stdout!.on("data", onData);
      wrangler!.stderr!.on("data", onData);
      wrangler!.once("exit", (code) => reject(new Error(`wrangler dev exited (${code}):\n${output.slice(-3000)}`)));
      setTimeout(() => reject(new Error(`wrangler dev not ready after 90 s:\n${output.slice(-3000)}`)), 90_000);
    });
    await ready;
    const origin = `http://127.0.0.1:${port}`;
    // The first request compiles the bundle; make it before any test's clock starts.
    await fetch(`${origin}/api/v1/health`).catch(() => undefined);
    log(`wrangler dev ready at ${origin}`);
    project.provide("siteOrigin", origin);
    project.provide("siteDatabaseUrl", services.env.DATABASE_URL);
    project.provide("siteServiceToken", seed.serviceToken);
    project.provide("siteSeed", seed);
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
