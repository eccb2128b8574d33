/**
 * Runs `npm start` (scripts/run.sh start) as a user would, for the tests of the local stack: on a free
 * port, on a data folder of the test's choosing, in its own process group so that `stop()` is a Ctrl-C
 * (SIGINT to every process of the group, as a terminal sends it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { freePort } from "../local/services.ts";
import { readEnvFile } from "../local/wrangler-dev.ts";

export { descendants } from "../local/procfs.ts";

export type Stack = {
  origin: string;
  /** The data Worker's own origin (the front Worker serves `origin`): crons are fired there. */
  dataOrigin: () => string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves when its output matches `pattern` (rejects if it exits first or after `ms`). */
  waitFor: (pattern: RegExp, ms?: number) => Promise<void>;
  /** Ctrl-C; resolves to its exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  /** Resolves to its exit code once it ends by itself. */
  exited: Promise<number | null>;
};

export async function startStack(options: { dataDir: string; args?: string[]; port?: number }): Promise<Stack> {
  const port = options.port ?? (await freePort());
  const child = spawn("sh", ["scripts/run.sh", "start", ...(options.args ?? [])], {
    env: { ...process.env, PORT: String(port), PILLOW_DATA_DIR: options.dataDir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const onData = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, ms = 600_000) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(output)) {
      if (child.exitCode !== null)
        throw new Error(`npm start exited (${child.exitCode}) before ${pattern}:\n${output.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} after ${ms} ms:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const stop = async (signal: NodeJS.Signals = "SIGINT") => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-(child.pid as number), signal);
      } catch {}
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {}
    }, 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return {
    origin: `http://127.0.0.1:${port}`,
    dataOrigin: () => {
      const found = /the data Worker serves at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (!found) throw new Error(`npm start has not said where the data Worker serves:\n${output.slice(-3000)}`);
      return found;
    },
    port,
    dataDir: options.dataDir,
    child,
    output: () => output,
    waitFor,
    stop,
    exited,
  };
}

/**
 * One running stack for a whole test file, on a throw-away data folder: started (and up) before the
 * file's tests, stopped with Ctrl-C and deleted after them. The returned function gives the stack.
 */
export function stackForFile(args: string[]): () => Stack {
  let stack: Stack | undefined;
  let dataDir = "";
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "pillow-stack-"));
    stack = await startStack({ dataDir, args });
    await stack.waitFor(/Pillow is up/);
  }, 600_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);
  return () => {
    if (!stack) throw new Error("the stack is not running (its beforeAll failed)");
    return stack;
  };
}

/** The database URL the running stack wrote for its Worker. */
export function stackDatabaseUrl(dataDir: string): string {
  const url = readEnvFile(join(dataDir, "dev.vars")).DATABASE_URL;
  if (!url) throw new Error(`no DATABASE_URL in ${dataDir}/dev.vars`);
  return url;
}

export async function sql<T>(databaseUrl: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(databaseUrl);
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A `service` API token stored in the stack's database (its hash only), for ingest calls. */
export async function mintServiceToken(databaseUrl: string, service = "stack-tests"): Promise<string> {
  const token = `pil_${randomBytes(32).toString("base64url")}`;
  await sql(
    databaseUrl,
    "INSERT INTO api_tokens (name, token_hash, prefix, role, service, sources) VALUES ($1, $2, $3, 'service', $4, '{*}')",
    [service, createHash("sha256").update(token).digest("hex"), token.slice(0, 10), service],
  );
  return token;
}

/** A listing no other test sends. */
export function uniqueListing(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = randomBytes(6).toString("hex");
  const street = [...randomBytes(9)].map((b) => String.fromCharCode(97 + (b % 26))).join("");
  return {
    source: "stack-test.example",
    source_listing_id: id,
    source_url: `https://stack-test.example/listing/${id}`,
    property_type: "house",
    listing_type: "sale",
    status: "active",
    title: "Stack test home",
    price: 650000,
    currency: "AUD",
    bedrooms: 3,
    address: { street: `7 Zz${street} St`, city: "Surry Hills", state: "NSW", postal_code: "2010", country: "AU" },
    location: { lat: -33.8861, lng: 151.2111 },
    ...overrides,
  };
}
