/**
 * Read-through cache for search, stats and facets results in Redis.
 *
 * An entry is `{v, d}`: the data version it was computed under and the data. The current version
 * (`currentDataVersion`, bumped by every write through `propertiesChanged`) is read together with
 * the entry in one MGET, and an entry from an older version is a miss, so a write is visible to the
 * very next read without deleting anything. Redis being slow, down or unconfigured makes the read
 * uncached, never an error.
 */
import type { Env } from "../../env";
import { DATA_VERSION_KEY } from "../changes";
import { log } from "../log";
import { getRedis } from "../redis";

const REDIS_TIMEOUT_MS = 300;
export const CACHE_TTL_SECONDS = 300;

type Entry<T> = { v: number; d: T };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export type CacheOutcome = "hit" | "miss" | "bypass";

export async function cachedQuery<T>(
  env: Env,
  options: { namespace: string; key: string; ttlSeconds?: number; waitUntil?: (p: Promise<unknown>) => void },
  compute: () => Promise<T>,
): Promise<{ data: T; cache: CacheOutcome }> {
  const cacheKey = `pillow:cache:${options.namespace}:${await sha256Hex(options.key)}`;
  let version: number;
  try {
    const redis = getRedis(env);
    const [rawVersion, entry] = await withTimeout(
      redis.mget<[number | null, Entry<T> | null]>(DATA_VERSION_KEY, cacheKey),
      REDIS_TIMEOUT_MS,
    );
    version = Number(rawVersion ?? 0);
    if (entry && entry.v === version) return { data: entry.d, cache: "hit" };
  } catch (err) {
    log(undefined, "warn", { msg: "cache unavailable, reading uncached", error: (err as Error).message });
    return { data: await compute(), cache: "bypass" };
  }
  const data = await compute();
  const write = withTimeout(
    getRedis(env).set(cacheKey, { v: version, d: data } satisfies Entry<T>, { ex: options.ttlSeconds ?? CACHE_TTL_SECONDS }),
    REDIS_TIMEOUT_MS,
  ).catch((err) => log(undefined, "warn", { msg: "could not write cache entry", error: (err as Error).message }));
  if (options.waitUntil) options.waitUntil(write);
  else await write;
  return { data, cache: "miss" };
}
