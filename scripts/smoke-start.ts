/**
 * Proves README command 1 end to end: `npm start` comes up, /api/v1/health is 200 with database and
 * redis ok, at least 10,000 real properties are stored, and Ctrl-C (SIGINT) leaves no postgres,
 * redis-server or workerd process behind. Run by `.ci/run` as `npm run smoke`.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { descendants } from "./local/procfs.ts";
import { freePort } from "./local/services.ts";
import { readEnvFile } from "./local/wrangler-dev.ts";

const MIN_PROPERTIES = 10_000;
const port = await freePort();
// Its own data folder: the smoke test starts from nothing and leaves a developer's .pillow/ alone.
const dataDir = mkdtempSync(join(tmpdir(), "pillow-smoke-"));
const started = Date.now();
const app = spawn("sh", ["scripts/run.sh", "start"], {
  env: { ...process.env, PORT: String(port), PILLOW_DATA_DIR: dataDir },
  stdio: ["ignore", "pipe", "inherit"],
});
let output = "";
app.stdout.on("data", (d: Buffer) => {
  output += d.toString();
});

function fail(message: string): never {
  console.error(`smoke: FAILED: ${message}\n--- output ---\n${output.slice(-4000)}`);
  app.kill("SIGINT");
  setTimeout(() => rmSync(dataDir, { recursive: true, force: true }), 10_000).unref();
  process.exit(1);
}

// The demo import goes through the real ingest API; allow for a slow, shared machine.
const deadline = Date.now() + 900_000;
while (!output.includes("Pillow is up")) {
  if (app.exitCode !== null) fail(`npm start exited with ${app.exitCode}`);
  if (Date.now() > deadline) fail("npm start did not come up within 900 s");
  await new Promise((r) => setTimeout(r, 250));
}
console.log(`smoke: up after ${((Date.now() - started) / 1000).toFixed(1)} s`);

const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
const body = (await health.json()) as { status: string; checks: { database: string; redis: string } };
if (health.status !== 200 || body.checks.database !== "ok" || body.checks.redis !== "ok") {
  fail(`health answered ${health.status} ${JSON.stringify(body)}`);
}
console.log(`smoke: health ${health.status} ${JSON.stringify(body.checks)}`);

const databaseUrl = readEnvFile(join(dataDir, "dev.vars")).DATABASE_URL;
if (!databaseUrl) fail("dev.vars has no DATABASE_URL");
const client = new pg.Client(databaseUrl);
await client.connect();
const { rows } = await client.query("SELECT count(*)::int AS n FROM properties");
await client.end();
const count = rows[0].n as number;
if (count < MIN_PROPERTIES) fail(`only ${count} properties stored (want ≥ ${MIN_PROPERTIES})`);
console.log(`smoke: ${count} properties stored`);

const children = descendants(app.pid as number);
const services = [...children.entries()].filter(([, n]) => /postgres|redis-server|workerd/.test(n));
if (services.length < 3)
  fail(`expected postgres, redis-server and workerd under npm start, saw ${[...children.values()].join(", ")}`);
app.kill("SIGINT");
for (const pid of children.keys()) {
  try {
    process.kill(pid, "SIGINT");
  } catch {}
}
await new Promise((r) => app.once("exit", r));
await new Promise((r) => setTimeout(r, 1000));
const left = services.filter(([pid]) => {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/\) Z /.test(state);
  } catch {
    return false;
  }
});
if (left.length > 0) fail(`processes left behind: ${left.map(([pid, n]) => `${n}(${pid})`).join(", ")}`);
console.log(`smoke: stopped cleanly; no postgres, redis-server or workerd left (${services.length} were running)`);
rmSync(dataDir, { recursive: true, force: true });
console.log("smoke: 1 passed, 0 failed");
