/**
 * README command 1: boots the data plane, migrates, serves Pillow with `wrangler dev` (scheduled events
 * enabled) and, on a fresh database, loads the demo data through the real ingest path: a service token
 * is minted and the dataset importers submit the openly licensed files in db/demo/ (King County CC0,
 * HM Land Registry OGL) to the running Mill over HTTP. Ctrl-C (or SIGTERM) stops everything it started.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import pg from "pg";
import { loadCarriedGazetteer } from "../db/gazetteer.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { loadConnectorCli, nodeIo } from "./lib/connectors.ts";
import { generateJwtKeys } from "./local/jwt-keys.ts";
import { startServices } from "./local/services.ts";
import { ensureSiteBuilt, reportPageJs } from "./site.ts";

const port = Number(process.env.PORT ?? 8787);
const log = (line: string) => console.log(`pillow: ${line}`);
/** Openly licensed datasets carried in db/demo/ (see README "Data and attribution"). */
const DEMO_DATASETS = ["kc-house-data", "uk-ppd-newcastle"];

const services = await startServices({ log });
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log("stopping …");
  wrangler?.kill("SIGTERM");
  await services.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(services.env.DATABASE_URL);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fresh `service` API token for the demo importer (only its hash is stored). */
async function mintServiceToken(): Promise<string> {
  const token = `pil_${randomBytes(32).toString("base64url")}`;
  await query(
    "INSERT INTO api_tokens (name, token_hash, prefix, role, service) VALUES ($1, $2, $3, 'service', 'demo-importer')",
    ["demo importer (npm start)", createHash("sha256").update(token).digest("hex"), token.slice(0, 10)],
  );
  return token;
}

async function loadDemoData(): Promise<void> {
  const [before] = await query<{ n: number }>("SELECT count(*)::int AS n FROM properties");
  if ((before?.n ?? 0) > 0) return;
  log("loading the demo data through the dataset importers (first start only) …");
  const cli = await loadConnectorCli();
  const token = await mintServiceToken();
  for (const dataset of DEMO_DATASETS) {
    const code = await cli.runCli([dataset, "--mill", `http://127.0.0.1:${port}`, "--token", token], nodeIo());
    if (code !== 0) throw new Error(`demo import of ${dataset} failed`);
  }
  const [after] = await query<{ n: number }>("SELECT count(*)::int AS n FROM properties");
  // In production a cron refreshes the stats rollup every 10 minutes; `wrangler dev` runs no crons.
  await query("REFRESH MATERIALIZED VIEW property_stats_city");
  log(`demo data loaded: ${after?.n ?? 0} properties`);
}

let wrangler: ReturnType<typeof spawn> | undefined;
try {
  await migrateDatabase(services.env.DATABASE_URL);
  log("migrations applied");
  log(`gazetteer loaded: ${await loadCarriedGazetteer(services.env.DATABASE_URL)} places`);

  // The Worker serves site/dist; rebuild it only when the site or docs sources changed.
  if (ensureSiteBuilt(log)) reportPageJs();
  else log("site and docs are up to date (site/dist)");

  // wrangler dev reads local bindings from .dev.vars (git-ignored); production uses `wrangler secret`.
  // JWT keys are made fresh on every start: restarting signs everyone out, as rotating keys would.
  const { REDIS_PORT: _unused, ...bindings } = { ...services.env, ...(await generateJwtKeys("dev")) };
  writeFileSync(
    ".dev.vars",
    `${Object.entries(bindings)
      // JSON values (the JWT keys) are single-quoted so dotenv takes them literally.
      .map(([k, v]) => (v.startsWith("{") ? `${k}='${v}'` : `${k}=${v}`))
      .join("\n")}\n`,
  );

  wrangler = spawn(
    "node_modules/.bin/wrangler",
    ["dev", "--test-scheduled", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let ready = false;
  wrangler.stdout?.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!ready && chunk.toString().includes("Ready on")) {
      ready = true;
      loadDemoData()
        .then(() => log(`Pillow is up at http://127.0.0.1:${port} (API: /api/v1, docs: /docs)`))
        .catch((err) => {
          console.error(err);
          void shutdown(1);
        });
    }
  });
  wrangler.on("exit", (code) => void shutdown(code ?? 0));
} catch (err) {
  console.error(err);
  await shutdown(1);
}
