/**
 * Time bounds of the backing services. Every call to Postgres (Neon HTTP and WebSocket) and Redis
 * (Upstash REST) has one, so a paused or unreachable service costs a request at most its bound, never
 * an open-ended wait (docs/architecture.md, "Outages"). What the request then answers depends on the
 * caller: a required service becomes 503 SERVICE_UNAVAILABLE, an optional one (the read cache, the API
 * rate limit outside credential routes) is skipped.
 */
import type { Env } from "../../env";

export const DEFAULT_DB_TIMEOUT_MS = 10_000;
export const DEFAULT_REDIS_TIMEOUT_MS = 2_000;

function positiveMs(value: unknown, fallback: number): number {
  const n = Number(value);
  return typeof value === "string" && Number.isInteger(n) && n > 0 ? n : fallback;
}

/** `DB_TIMEOUT_MS`: the longest one database statement (or connection) may take. */
export const dbTimeoutMs = (env: Env) => positiveMs(env.DB_TIMEOUT_MS, DEFAULT_DB_TIMEOUT_MS);

/** `REDIS_TIMEOUT_MS`: the longest one Redis command may take. */
export const redisTimeoutMs = (env: Env) => positiveMs(env.REDIS_TIMEOUT_MS, DEFAULT_REDIS_TIMEOUT_MS);

/** The service a failed call went to, for the log line and the 503 message. */
export type Backend = "database" | "redis";

/**
 * A backing service did not answer in time or could not be reached. Thrown by the bounded fetch
 * below, so the service's client library reports it (possibly wrapped) and `pkg/backend/failure.ts`
 * finds it in the error's causes.
 */
export class BackendUnavailable extends Error {
  readonly backend: Backend;
  constructor(backend: Backend, reason: string) {
    super(`${backend} unavailable: ${reason}`);
    this.name = "BackendUnavailable";
    this.backend = backend;
  }
}

/**
 * A `fetch` whose every call is aborted after `ms`, and whose network failures and timeouts become
 * `BackendUnavailable`. Both HTTP clients (Neon's and Upstash's) take a fetch or a signal; this is
 * how their calls are bounded.
 */
export function boundedFetch(backend: Backend, ms: number): typeof fetch {
  return async (input, init) => {
    const signal = init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms);
    try {
      return await fetch(input, { ...init, signal });
    } catch (err) {
      const timedOut = (err as Error)?.name === "TimeoutError" || (err as Error)?.name === "AbortError";
      throw new BackendUnavailable(backend, timedOut ? `no answer within ${ms} ms` : (err as Error)?.message || String(err));
    }
  };
}
