import { Redis } from "@upstash/redis/cloudflare";
import type { Env } from "../../env";
import { ServiceUnavailableError } from "../errors";

const clients = new Map<string, Redis>();

/** The Upstash REST client, one per isolate and endpoint. Throws 503 when Redis is not configured. */
export function getRedis(env: Env): Redis {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  if (!url || !token) throw new ServiceUnavailableError("Redis is not configured (UPSTASH_REDIS_REST_URL/TOKEN missing).");
  let client = clients.get(url);
  if (!client) {
    // No automatic retries: callers decide whether Redis is optional (cache) or required (auth limits).
    client = new Redis({ url, token, retry: false, enableTelemetry: false });
    clients.set(url, client);
  }
  return client;
}
