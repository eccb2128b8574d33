/**
 * README command 1: boots the data plane, migrates, loads the demo data, and serves Pillow with
 * `wrangler dev` (scheduled events enabled). Ctrl-C (or SIGTERM) stops everything it started.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import pg from "pg";
import { loadKingCounty } from "../db/demo/load.ts";
import { loadCarriedGazetteer } from "../db/gazetteer.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { generateJwtKeys } from "./local/jwt-keys.ts";
import { startServices } from "./local/services.ts";
import { ensureSiteBuilt, reportPageJs } from "./site.ts";

const port = Number(process.env.PORT ?? 8787);
const log = (line: string) => console.log(`pillow: ${line}`);

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

let wrangler: ReturnType<typeof spawn> | undefined;
try {
  await migrateDatabase(services.env.DATABASE_URL);
  log("migrations applied");
  log(`gazetteer loaded: ${await loadCarriedGazetteer(services.env.DATABASE_URL)} places`);
  const client = new pg.Client(services.env.DATABASE_URL);
  await client.connect();
  const { rows } = await client.query("SELECT count(*)::int AS n FROM properties");
  await client.end();
  if (rows[0].n === 0) log(`demo data loaded: ${await loadKingCounty(services.env.DATABASE_URL)} properties`);

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
  wrangler.stdout?.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (chunk.toString().includes("Ready on")) log(`Pillow is up at http://127.0.0.1:${port} (API: /api/v1, docs: /docs)`);
  });
  wrangler.on("exit", (code) => void shutdown(code ?? 0));
} catch (err) {
  console.error(err);
  await shutdown(1);
}
