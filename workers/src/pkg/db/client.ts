/**
 * Database access, the one layer every caller goes through. Ordinary reads and single statements go
 * over Neon's SQL-over-HTTP (one round trip, no connection to keep); interactive transactions use
 * Neon's WebSocket `Pool`, opened and closed within the request. Both endpoints can be overridden by env
 * bindings, which is how local dev and tests reach a plain Postgres through the stand-ins in
 * `scripts/local/`.
 *
 * Every way in (`getDb`, `getSql`, `queryRows`, `withTransaction`) fails the same way, through
 * `databaseError`: the database unreachable, refusing or too slow → 503 SERVICE_UNAVAILABLE; a value
 * its column cannot hold → 400 VALIDATION_FAILED; anything else is thrown as the driver threw it (the
 * error handler answers 500; ingest retries unique violations and deadlocks by their SQLSTATE). The
 * classification is pkg/backend/failure.ts (docs/architecture.md, "Outages").
 */
import { type NeonQueryFunction, neon, neonConfig, Pool, type PoolClient } from "@neondatabase/serverless";
import { drizzle as drizzleHttp } from "drizzle-orm/neon-http";
import { drizzle as drizzleWs } from "drizzle-orm/neon-serverless";
import * as schema from "../../../../db/schema";
import type { Env } from "../../env";
import { boundedFetch, dbTimeoutMs } from "../backend/bounds";
import { classifyBackendFailure, failureChain } from "../backend/failure";
import { ApiError, ServiceUnavailableError } from "../errors";
import { log } from "../log";

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

/**
 * What a failed database call throws: the one mapping (see the top of this file). An error already
 * mapped (drizzle wraps the driver's error as its `cause`) is returned as it is.
 */
export function databaseError(err: unknown): unknown {
  for (const e of failureChain(err)) if (e instanceof ApiError) return e;
  const failure = classifyBackendFailure(err);
  if (failure?.kind === "data") {
    // The value got past the request schema but not past the column: the schema has a gap to close.
    log(undefined, "error", { msg: "validation gap: database rejected a value", sqlstate: failure.sqlstate, error: String(err) });
  }
  if (!failure) return err;
  // The driver's error stays reachable for logs and debugging; callers see the mapped one.
  Object.defineProperty(failure.error, "cause", { value: err, enumerable: false });
  return failure.error;
}

type SqlClient = NeonQueryFunction<false, false>;

/** A query of the HTTP client whose failure goes through `databaseError` (it stays a query `transaction` accepts). */
function mapped<Q extends { execute: (...args: never[]) => Promise<unknown> }>(query: Q): Q {
  const execute = query.execute;
  query.execute = ((...args: never[]) =>
    execute(...args).catch((err: unknown) => {
      throw databaseError(err);
    })) as Q["execute"];
  return query;
}

/** Neon's HTTP client with every query, template and transaction failing through `databaseError`. */
function sqlClient(url: string): SqlClient {
  const raw = neon(url);
  return new Proxy(raw, {
    apply: (target, thisArg, args) => mapped(Reflect.apply(target, thisArg, args)),
    get(target, prop, receiver) {
      if (prop === "query") return (...args: Parameters<SqlClient["query"]>) => mapped(target.query(...args));
      if (prop === "transaction")
        return (...args: Parameters<SqlClient["transaction"]>) =>
          target.transaction(...args).catch((err: unknown) => {
            throw databaseError(err);
          });
      return Reflect.get(target, prop, receiver);
    },
  });
}

export type Db = ReturnType<typeof createDb>;

function createDb(url: string) {
  return drizzleHttp(sqlClient(url), { schema });
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

/** The tagged-template / `.query(text, params)` client over HTTP, for hand-written SQL. */
export function getSql(env: Env): SqlClient {
  return sqlClient(databaseUrl(env));
}

/** Planner settings a query needs, applied with SET LOCAL in the same HTTP transaction. */
export type PlannerSettings = Partial<
  Record<"enable_sort" | "enable_seqscan" | "jit" | "max_parallel_workers_per_gather" | "search_path", string>
>;

/**
 * Runs a built query over Neon HTTP (one round trip) and returns its rows. With settings, the
 * statement runs in a non-interactive transaction after `SET LOCAL`s: still one round trip.
 */
export async function queryRows<T>(env: Env, q: { text: string; values: unknown[]; settings?: PlannerSettings }): Promise<T[]> {
  const sql = getSql(env);
  const settings = Object.entries(q.settings ?? {});
  if (settings.length === 0) return (await sql.query(q.text, q.values)) as unknown as T[];
  const results = await sql.transaction([
    ...settings.map(([name, value]) => sql.query("SELECT set_config($1, $2, true)", [name, value])),
    sql.query(q.text, q.values),
  ]);
  return results.at(-1) as unknown as T[];
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
    throw databaseError(err);
  }
  client.on("error", () => {});
  try {
    await client.query("BEGIN");
    const result = await fn({ client, db: txDb(client) });
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw databaseError(err);
  } finally {
    client.release();
    await pool.end();
  }
}

export { schema };
