import { Redis } from "@upstash/redis/cloudflare";
import type { Env } from "../../env";
import { ServiceUnavailableError } from "../errors";

const clients = new Map<string, Redis>();

function credentials(env: Env): { url: string; token: string } {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  if (!url || !token) throw new ServiceUnavailableError("Redis is not configured (UPSTASH_REDIS_REST_URL/TOKEN missing).");
  return { url, token };
}

function client(kind: "json" | "raw", options: ConstructorParameters<typeof Redis>[0]): Redis {
  const key = `${kind} ${options.url}`;
  let redis = clients.get(key);
  if (!redis) {
    redis = new Redis(options);
    clients.set(key, redis);
  }
  return redis;
}

/** The Upstash REST client, one per isolate and endpoint. Throws 503 when Redis is not configured. */
export function getRedis(env: Env): Redis {
  // No automatic retries: callers decide whether Redis is optional (cache) or required (auth limits).
  return client("json", { ...credentials(env), retry: false, enableTelemetry: false });
}

/**
 * A client that stores and returns strings exactly as given: no JSON round trip of values and no
 * base64 encoding of replies. For large text values (cached response bodies), where those passes
 * cost more CPU than the request itself; values must be valid UTF-8 text.
 */
export function getRawRedis(env: Env): Redis {
  return client("raw", {
    ...credentials(env),
    retry: false,
    enableTelemetry: false,
    automaticDeserialization: false,
    responseEncoding: false,
  });
}
