import { Redis } from "@upstash/redis/cloudflare";
import type { Env } from "../../env";
import { boundedFetch, redisTimeoutMs } from "../backend/bounds";
import { ServiceUnavailableError } from "../errors";

const clients = new Map<string, Redis>();

function credentials(env: Env): { url: string; token: string } {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  if (!url || !token) throw new ServiceUnavailableError("Redis is not configured (UPSTASH_REDIS_REST_URL/TOKEN missing).");
  return { url, token };
}

function client(kind: "json" | "raw", env: Env, options: ConstructorParameters<typeof Redis>[0]): Redis {
  const ms = redisTimeoutMs(env);
  const key = `${kind} ${ms} ${options.url}`;
  let redis = clients.get(key);
  if (!redis) {
    // Every command is aborted after REDIS_TIMEOUT_MS (pkg/backend/bounds.ts): callers then fail open
    // (cache, API rate limit) or answer 503 (idempotency, sign-in limits), never wait on a paused Redis.
    redis = new Redis({ ...options, signal: () => AbortSignal.timeout(ms) });
    clients.set(key, redis);
  }
  return redis;
}

/** The Upstash REST client, one per isolate and endpoint. Throws 503 when Redis is not configured. */
export function getRedis(env: Env): Redis {
  // No automatic retries: callers decide whether Redis is optional (cache) or required (auth limits).
  return client("json", env, { ...credentials(env), retry: false, enableTelemetry: false });
}

/**
 * A client that stores and returns strings exactly as given: no JSON round trip of values and no
 * base64 encoding of replies. For large text values (cached response bodies), where those passes
 * cost more CPU than the request itself; values must be valid UTF-8 text.
 */
export function getRawRedis(env: Env): Redis {
  return client("raw", env, {
    ...credentials(env),
    retry: false,
    enableTelemetry: false,
    automaticDeserialization: false,
    responseEncoding: false,
  });
}

/**
 * `SET key value EX seconds` with the value as the request body: Upstash REST's path form for large
 * values. The client library sends every command as a JSON array, which escapes a JSON value character
 * by character; for a 75 kB response body that escaping was the largest single cost of a cache write.
 */
export async function setLargeValue(env: Env, key: string, value: string, ttlSeconds: number): Promise<void> {
  const { url, token } = credentials(env);
  const res = await boundedFetch("redis", redisTimeoutMs(env))(
    `${url.replace(/\/$/, "")}/set/${encodeURIComponent(key)}?EX=${ttlSeconds}`,
    {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: value,
    },
  );
  const reply = (await res.json().catch(() => ({}))) as { result?: unknown; error?: string };
  if (!res.ok || reply.result !== "OK") throw new Error(`Redis SET answered ${res.status}: ${reply.error ?? "no result"}`);
}
