/**
 * `npm start` keeps its data: what a user stored (a listing, an account, an API token) is there after
 * Ctrl-C and a new start; the demo data is loaded once, and an interrupted load (Ctrl-C, or the whole
 * process group killed) is finished by the next start without duplicates; `--reset` starts from nothing
 * only when confirmed; a second `npm start` on the same data says that one is running.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mintServiceToken, type Stack, sql, stackDatabaseUrl, startStack, uniqueListing } from "./test/stack.ts";

const dirs: string[] = [];
const running: Stack[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "pillow-data-"));
  dirs.push(dir);
  return dir;
}
async function start(dir: string, args: string[] = []): Promise<Stack> {
  const stack = await startStack({ dataDir: dir, args: ["--no-crons", ...args] });
  running.push(stack);
  return stack;
}

afterAll(async () => {
  for (const stack of running) await stack.stop("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, 120_000);

async function count(dir: string): Promise<number> {
  const [row] = await sql<{ n: number }>(stackDatabaseUrl(dir), "SELECT count(*)::int AS n FROM properties");
  return row?.n ?? 0;
}

describe("npm start keeps its data between runs", { retry: 0 }, () => {
  const dir = dataDir();
  const listing = uniqueListing();
  const account = { email: `keep-${Date.now()}@pillow.test`, password: "a long local password" };
  let propertyId = "";
  let apiToken = "";
  let demoCount = 0;

  it("first start: empty database, demo data loaded, durable Postgres; a listing, an account and a token are stored", async () => {
    const stack = await start(dir, ["--demo-limit", "20"]);
    await stack.waitFor(/Pillow is up/);
    expect(stack.output()).toMatch(/empty database: loading the demo data/);
    const url = stackDatabaseUrl(dir);
    expect((await sql<{ fsync: string }>(url, "SHOW fsync"))[0]?.fsync).toBe("on");
    demoCount = await count(dir);
    expect(demoCount).toBeGreaterThan(0);
    // Every demo property with a postcode or a locality has a location once it is up, the UK price-paid
    // records (which carry no coordinates) at their postcode district's (docs/geocoding.md "Gazetteer backfill").
    const unlocated = await sql<{ n: number }>(
      url,
      "SELECT count(*)::int AS n FROM properties WHERE location IS NULL AND (postal_code IS NOT NULL OR city IS NOT NULL)",
    );
    expect(unlocated[0]?.n).toBe(0);
    const uk = await sql<{ precision: string | null; n: number }>(
      url,
      "SELECT location_precision AS precision, count(*)::int AS n FROM properties WHERE country = 'GB' GROUP BY 1",
    );
    expect(uk).toEqual([{ precision: "postcode", n: expect.any(Number) }]);
    expect(stack.output()).toMatch(
      /gazetteer located \d+ by postcode and locality, \d+ by postcode, \d+ by locality in \d+ ms; \d+ properties without a location/,
    );

    const service = await mintServiceToken(url);
    const ingest = await fetch(`${stack.origin}/api/v1/properties`, {
      method: "POST",
      headers: { authorization: `Bearer ${service}`, "content-type": "application/json" },
      body: JSON.stringify(listing),
    });
    expect(ingest.status).toBeLessThan(300);
    propertyId = ((await ingest.json()) as { data: { id: string } }).data.id;

    const signup = await fetch(`${stack.origin}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(account),
    });
    expect(signup.status).toBeLessThan(300);
    const { access_token } = ((await signup.json()) as { data: { access_token: string } }).data;
    const created = await fetch(`${stack.origin}/api/v1/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "kept across restarts" }),
    });
    expect(created.status).toBe(201);
    apiToken = ((await created.json()) as { data: { token: string } }).data.token;

    // A second `npm start` on the same data says so, and leaves the running one alone.
    const second = await start(dir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(new RegExp(`already running on this data \\(pid ${stack.child.pid}`));
    expect((await fetch(`${stack.origin}/api/v1/health`)).status).toBe(200);

    expect(await stack.stop()).toBe(0);
    expect(existsSync(join(dir, "npm-start.lock"))).toBe(false);
  }, 900_000);

  it("next start: the same data, migrations applied forward, no second demo load; listing, account and token still work", async () => {
    const stack = await start(dir, ["--demo-limit", "20"]);
    await stack.waitFor(/Pillow is up/);
    expect(stack.output()).toMatch(/postgres: reusing the data/);
    expect(stack.output()).toMatch(/migrations applied/);
    expect(stack.output()).toMatch(/demo data not loaded again/);
    expect(stack.output()).not.toMatch(/loading the demo data/);
    expect(await count(dir)).toBe(demoCount + 1);

    expect((await fetch(`${stack.origin}/api/v1/properties/${propertyId}`)).status).toBe(200);
    const login = await fetch(`${stack.origin}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(account),
    });
    expect(login.status).toBe(200);
    const tokens = await fetch(`${stack.origin}/api/v1/tokens`, { headers: { authorization: `Bearer ${apiToken}` } });
    expect(tokens.status).toBe(200);

    // `npm run token` mints a service token bound to the sources it names: it ingests under those only.
    const env = { ...process.env, DATABASE_URL: stackDatabaseUrl(dir) };
    const unbound = spawnSync("sh", ["scripts/run.sh", "token", "--service", "cli-test"], { env, encoding: "utf8" });
    expect(unbound.status).toBe(1);
    expect(unbound.stderr).toMatch(/needs --sources/);
    const minted = spawnSync("sh", ["scripts/run.sh", "token", "--service", "cli-test", "--sources", "stack-test.example"], {
      env,
      encoding: "utf8",
    });
    expect(minted.status, minted.stderr).toBe(0);
    const bound = minted.stdout.trim();
    const ingestAs = (source: string) =>
      fetch(`${stack.origin}/api/v1/properties`, {
        method: "POST",
        headers: { authorization: `Bearer ${bound}`, "content-type": "application/json" },
        body: JSON.stringify(uniqueListing({ source })),
      });
    expect((await ingestAs("stack-test.example")).status).toBe(201);
    expect((await ingestAs("other-source.example")).status).toBe(403);
    expect(await stack.stop()).toBe(0);
  }, 900_000);

  it("--reset without a terminal and without --yes deletes nothing", async () => {
    const stack = await start(dir, ["--reset"]);
    expect(await stack.exited).toBe(1);
    expect(stack.output()).toMatch(/add --yes to confirm/);
    expect(existsSync(join(dir, "postgres", "PG_VERSION"))).toBe(true);
    expect(readFileSync(join(dir, "demo-state"), "utf8").trim()).toBe("loaded");
  }, 120_000);

  it("--reset --yes starts from nothing: the listing, the account and the token are gone, the demo data is back", async () => {
    const stack = await start(dir, ["--reset", "--yes", "--demo-limit", "20"]);
    await stack.waitFor(/Pillow is up/);
    expect(stack.output()).toMatch(/reset: deleted the local data/);
    expect(stack.output()).toMatch(/empty database: loading the demo data/);
    expect(await count(dir)).toBe(demoCount);
    expect((await fetch(`${stack.origin}/api/v1/properties/${propertyId}`)).status).toBe(404);
    const login = await fetch(`${stack.origin}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(account),
    });
    expect(login.status).toBe(401);
    expect((await fetch(`${stack.origin}/api/v1/tokens`, { headers: { authorization: `Bearer ${apiToken}` } })).status).toBe(401);
    expect(await stack.stop()).toBe(0);
  }, 900_000);
});

describe("stopping during the demo load", { retry: 0 }, () => {
  const dir = dataDir();
  const demoLimit = ["--demo-limit", "400"];
  /** Stops the stack once the demo load has stored its first batch. */
  async function interruptDemoLoad(stack: Stack, signal: NodeJS.Signals): Promise<void> {
    await stack.waitFor(/loading (the demo data|it again)/);
    await stack.waitFor(/POST \/api\/v1\/properties\/batch 200/);
    await stack.stop(signal);
    expect(readFileSync(join(dir, "demo-state"), "utf8").trim()).toBe("loading");
  }

  it("Ctrl-C, then the whole process group killed, mid-load: the next start opens the data and finishes the load once", async () => {
    await interruptDemoLoad(await start(dir, demoLimit), "SIGINT");
    // Killed outright this time (no shutdown at all): Postgres recovers from its WAL, the lock is stale.
    await interruptDemoLoad(await start(dir, demoLimit), "SIGKILL");

    const stack = await start(dir, demoLimit);
    await stack.waitFor(/Pillow is up/);
    expect(stack.output()).toMatch(/last demo data load was interrupted; loading it again/);
    // Listings stored before the interruptions were recognised, not stored again.
    expect(stack.output()).toMatch(/kc-house-data\s+400\s+400\s+\d+\s+\d+\s+[1-9]\d*\s+0/);
    expect(readFileSync(join(dir, "demo-state"), "utf8").trim()).toBe("loaded");
    const url = stackDatabaseUrl(dir);
    const duplicates = await sql(
      url,
      "SELECT source, source_listing_id FROM property_sources GROUP BY 1, 2 HAVING count(DISTINCT property_id) > 1",
    );
    expect(duplicates).toEqual([]);
    const [orphans] = await sql<{ n: number }>(
      url,
      "SELECT count(*)::int AS n FROM properties p WHERE NOT EXISTS (SELECT 1 FROM property_sources s WHERE s.property_id = p.id)",
    );
    expect(orphans?.n).toBe(0);
    expect(await count(dir)).toBeGreaterThan(0);
    expect(await stack.stop()).toBe(0);
  }, 1_500_000);
});
