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
import { boundedFetch, dbTimeoutMs } from "../backend/bounds";
import { ServiceUnavailableError } from "../errors";

const boundedFetches = new Map<number, typeof fetch>();

function configureNeon(env: Env): void {
  // Every SQL-over-HTTP query is aborted after DB_TIMEOUT_MS (pkg/backend/bounds.ts); a paused or
  // unreachable database then surfaces as BackendUnavailable, which the error handler answers with 503.
  const ms = dbTimeoutMs(env);
  let bounded = boundedFetches.get(ms);
  if (!bounded) {
    bounded = boundedFetch("database", ms);
    boundedFetches.set(ms, bounded);
  }
  neonConfig.fetchFunction = bounded;
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
  const ms = dbTimeoutMs(env);
  // Connecting and every statement are bounded like the HTTP queries: node-postgres rejects with a
  // timeout error, which the error handler answers with 503 (pkg/backend/failure.ts).
  const pool = new Pool({ connectionString: databaseUrl(env), connectionTimeoutMillis: ms, query_timeout: ms });
  // A socket that drops after its work is done (e.g. while the pool closes) must not become an
  // uncaught error event; failures during the transaction still reject the query that hit them.
  pool.on("error", () => {});
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    // Not reached (refused, or no answer within the bound): close the pool so its socket cannot fail later, unobserved.
    pool.end().catch(() => {});
    throw err;
  }
  client.on("error", () => {});
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
