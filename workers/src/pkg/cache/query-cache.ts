/**
 * Read-through cache for search, stats and facets responses in Redis.
 *
 * An entry holds the response body as sent (JSON text), its ETag and the data version it was computed
 * under: `<version>|<etag>|<body>`. A hit is answered with those bytes as they are, with no parse, no
 * re-serialisation and no re-hash, which is most of what a 100-row page costs the Worker. The current
 * version (`currentDataVersion`, bumped by every write through `propertiesChanged`) is read together
 * with the entry in one MGET, and an entry from an older version is a miss, so a write is visible to
 * the very next read without deleting anything. Redis being slow, down or unconfigured makes the read
 * uncached, never an error.
 */
import type { Env } from "../../env";
import { sha256Hex } from "../auth/api-token";
import { DATA_VERSION_KEY } from "../changes";
import { log } from "../log";
import { getRawRedis, setLargeValue } from "../redis";

const REDIS_TIMEOUT_MS = 300;
export const CACHE_TTL_SECONDS = 300;

export type CacheOutcome = "hit" | "miss" | "bypass";
/** A JSON response body (the serialised `T`), its ETag, and where it came from. */
export type CachedBody<T> = { body: string; etag: string; cache: CacheOutcome; readonly _type?: T };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A strong ETag for a response body: the first 128 bits of its SHA-256. */
export async function etagOf(body: string): Promise<string> {
  return `"${(await sha256Hex(body)).slice(0, 32)}"`;
}

/** `<version>|<etag>|<body>` → the parts, or undefined for anything else (an entry of an older format). */
function parseEntry(raw: string): { version: number; etag: string; body: string } | undefined {
  const first = raw.indexOf("|");
  const second = raw.indexOf("|", first + 1);
  if (first < 1 || second < 0) return undefined;
  return { version: Number(raw.slice(0, first)), etag: raw.slice(first + 1, second), body: raw.slice(second + 1) };
}

async function bodyOf(data: unknown): Promise<{ body: string; etag: string }> {
  const body = JSON.stringify(data);
  return { body, etag: await etagOf(body) };
}

export async function cachedJson<T>(
  env: Env,
  options: { namespace: string; key: string; ttlSeconds?: number; waitUntil?: (p: Promise<unknown>) => void },
  compute: () => Promise<T>,
): Promise<CachedBody<T>> {
  const cacheKey = `pillow:cache:${options.namespace}:${await sha256Hex(options.key)}`;
  let version: number;
  try {
    const redis = getRawRedis(env);
    const [rawVersion, raw] = await withTimeout(
      redis.mget<[string | null, string | null]>(DATA_VERSION_KEY, cacheKey),
      REDIS_TIMEOUT_MS,
    );
    version = Number(rawVersion ?? 0);
    const entry = raw === null ? undefined : parseEntry(raw);
    if (entry && entry.version === version) return { body: entry.body, etag: entry.etag, cache: "hit" };
  } catch (err) {
    log(undefined, "warn", { msg: "cache unavailable, reading uncached", error: (err as Error).message });
    return { ...(await bodyOf(await compute())), cache: "bypass" };
  }
  const { body, etag } = await bodyOf(await compute());
  const write = withTimeout(
    setLargeValue(env, cacheKey, `${version}|${etag}|${body}`, options.ttlSeconds ?? CACHE_TTL_SECONDS),
    REDIS_TIMEOUT_MS,
  ).catch((err) => log(undefined, "warn", { msg: "could not write cache entry", error: (err as Error).message }));
  if (options.waitUntil) options.waitUntil(write);
  else await write;
  return { body, etag, cache: "miss" };
}
