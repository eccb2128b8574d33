/**
 * Database access. Ordinary reads and single statements go over Neon's SQL-over-HTTP (one round trip,
 * no connection to keep); interactive transactions use Neon's WebSocket `Pool`, opened and closed
 * within the request. Both endpoints can be overridden by env bindings, which is how local dev and
 * tests reach a plain Postgres through the stand-ins in `scripts/local/`.
 */
import { neon, neonConfig, Pool, type PoolClient } from "@neondatabase/serverless";
import { drizzle as drizzleHttp } from "drizzle-orm/neon-http";
import { drizzle as drizzleWs } from "drizzle-orm/neon-serverless";
import * as schema from "../../../../db/schema";
import type { Env } from "../../env";
import { ServiceUnavailableError } from "../errors";

function configureNeon(env: Env): void {
  if (env.NEON_HTTP_ENDPOINT) {
    const endpoint = env.NEON_HTTP_ENDPOINT;
    neonConfig.fetchEndpoint = () => endpoint;
  }
  if (env.NEON_WS_PROXY) {
    const proxy = env.NEON_WS_PROXY;
    neonConfig.wsProxy = (host, port) => `${proxy.replace(/^ws:\/\//, "")}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = proxy.startsWith("wss://");
    neonConfig.pipelineTLS = false;
    // Pipelining assumes cleartext-password auth, which a plain local Postgres does not use.
    neonConfig.pipelineConnect = false;
  }
}

function databaseUrl(env: Env): string {
  if (!env.DATABASE_URL) throw new ServiceUnavailableError("The database is not configured (DATABASE_URL is missing).");
  configureNeon(env);
  return env.DATABASE_URL;
}

export type Db = ReturnType<typeof createDb>;

function createDb(url: string) {
  return drizzleHttp(neon(url), { schema });
}

const dbs = new Map<string, Db>();

/** Drizzle over Neon HTTP, one per isolate and URL. */
export function getDb(env: Env): Db {
  const url = databaseUrl(env);
  let db = dbs.get(url);
  if (!db) {
    db = createDb(url);
    dbs.set(url, db);
  }
  return db;
}

/** The raw tagged-template / `.query(text, params)` client over HTTP, for hand-written SQL. */
export function getSql(env: Env) {
  return neon(databaseUrl(env));
}

function txDb(client: PoolClient) {
  return drizzleWs({ client, schema });
}

export type TxDb = ReturnType<typeof txDb>;

/**
 * Runs `fn` inside one interactive transaction on a WebSocket connection that lives only for this
 * call (Workers may not keep sockets across requests).
 */
export async function withTransaction<T>(env: Env, fn: (tx: { client: PoolClient; db: TxDb }) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: databaseUrl(env) });
  // An idle client whose socket closes (e.g. when a queue invocation ends) emits "error" on the pool;
  // unhandled, that event is an uncaught exception. The transaction itself has completed by then.
  pool.on("error", () => {});
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn({ client, db: txDb(client) });
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
    await pool.end();
  }
}

export { schema };
