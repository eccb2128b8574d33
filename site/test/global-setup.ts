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
import { loadCarriedGazetteer } from "../../db/gazetteer";
import { migrateDatabase } from "../../db/migrate";
import { generateJwtKeys } from "../../scripts/local/jwt-keys";
import { freePort, startServices } from "../../scripts/local/services";
import { wranglerDevArgs, writeEnvFile } from "../../scripts/local/wrangler-dev";
import { ensureSiteBuilt } from "../../scripts/site";
import { oidcBindings, startOidcProvider, type TestOidcProvider } from "../../workers/test/oidc-provider";
import { seedBrowserData } from "./seed";

declare module "vitest" {
  export interface ProvidedContext {
    siteOrigin: string;
    siteDatabaseUrl: string;
    siteServiceToken: string;
    siteSeed: import("./seed").Seed;
    /** The tests' OpenID provider (workers/test/oidc-provider.ts), configured as provider `local`. */
    siteOidcIssuer: string;
  }
}

export default async function setup(project: TestProject) {
  const log = (line: string) => console.log(`browser tests: ${line}`);
  const services = await startServices();
  let wrangler: ChildProcess | undefined;
  let oidc: TestOidcProvider | undefined;
  const persist = mkdtempSync(join(tmpdir(), "pillow-wrangler-"));
  let stopping = false;
  const stop = async () => {
    stopping = true;
    const child = wrangler;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    await oidc?.close();
    await services.stop();
    rmSync(persist, { recursive: true, force: true });
  };
  try {
    await migrateDatabase(services.env.DATABASE_URL);
    // The offline gazetteer, as npm start loads it: the location tests place listings by postcode.
    await loadCarriedGazetteer(services.env.DATABASE_URL);
    ensureSiteBuilt(log);
    const seed = await seedBrowserData(services.env.DATABASE_URL);
    const port = await freePort();
    oidc = await startOidcProvider([`http://127.0.0.1:${port}/api/v1/auth/browser/oidc/local/callback`]);
    const { REDIS_PORT: _r, ...local } = services.env;
    // One browser is one "IP" making hundreds of requests: lift the anonymous limit as the API tests do.
    const limits = { limit: 1_000_000, window: "60 s" };
    const bindings = {
      ...local,
      ...(await generateJwtKeys("browser-test")),
      RATE_LIMITS: JSON.stringify({ anonymous: limits, user: limits, service: limits, admin: limits }),
      ...oidcBindings(oidc, { wrongAudience: false }),
    };
    const envFile = join(persist, "dev.vars");
    writeEnvFile(envFile, bindings);
    const args = wranglerDevArgs({ port, persistTo: persist, envFile, vars: bindings });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const child = spawn(join(process.cwd(), "node_modules/.bin/wrangler"), args, {
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: "false",
          WRANGLER_SEND_ERROR_REPORTS: "false",
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
        },
      });
      wrangler = child;
      let ready = false;
      const timer = setTimeout(() => reject(new Error(`wrangler dev not ready after 90 s:\n${output.slice(-3000)}`)), 90_000);
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
        // Refused OpenID Connect sign-ins say why only in the Worker's log: show those lines.
        for (const line of chunk.toString().split("\n")) if (line.includes("OpenID Connect")) console.log(`worker: ${line}`);
        if (!ready && output.includes("Ready on")) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        if (!ready) return reject(new Error(`wrangler dev exited (${code}):\n${output.slice(-3000)}`));
        // A client cannot stop wrangler dev (scripts/start.survival.test.ts); if it stops anyway, say why.
        if (!stopping) console.error(`browser tests: wrangler dev exited (${code}). Last output:\n${output.slice(-1500)}`);
      });
    });
    const origin = `http://127.0.0.1:${port}`;
    // The first request compiles the bundle; make it before any test's clock starts.
    await fetch(`${origin}/api/v1/health`).catch(() => undefined);
    log(`wrangler dev ready at ${origin}`);
    project.provide("siteOrigin", origin);
    project.provide("siteDatabaseUrl", services.env.DATABASE_URL);
    project.provide("siteServiceToken", seed.serviceToken);
    project.provide("siteSeed", seed);
    project.provide("siteOidcIssuer", oidc.issuer);
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
