/**
 * Sliding-window limits in Redis through `@upstash/ratelimit`. Every bucket (API per role, failed
 * sign-ins per account / per IP) is one limiter with its own key prefix.
 */
import { Ratelimit } from "@upstash/ratelimit";
import type { Env } from "../../env";
import { getRedis } from "../redis";
import type { Limit } from "./config";
import { nextPassAt, windowMs } from "./sliding";

/**
 * How long a whole limit check may take before it counts as "Redis is down". Each Redis command of
 * the check is bounded sooner, by REDIS_TIMEOUT_MS (pkg/backend/bounds.ts); this is the outer limit.
 */
const REDIS_TIMEOUT_MS = 5_000;

export type Decision = {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix ms: with requests left, the end of the current fixed window; with none, when the next one will pass. */
  reset: number;
};

/** Redis did not answer (error or timeout); the caller decides whether to fail open or closed. */
export class LimiterUnavailableError extends Error {}

const limiters = new Map<string, Ratelimit>();

const prefixOf = (bucket: string, config: Limit) => `rl:${bucket}:${config.window.replace(/ /g, "")}`;

function limiter(env: Env, bucket: string, config: Limit): Ratelimit {
  const redis = getRedis(env);
  const key = `${env.UPSTASH_REDIS_REST_URL}|${bucket}|${config.limit}|${config.window}`;
  let rl = limiters.get(key);
  if (!rl) {
    rl = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(config.limit, config.window),
      // The window is part of the prefix: changing a limit's window starts fresh counts instead of
      // reading the old window's keys with the new arithmetic.
      prefix: prefixOf(bucket, config),
      // No in-isolate cache of blocked callers: every answer comes from Redis, so headers are exact.
      ephemeralCache: false,
      analytics: false,
      timeout: REDIS_TIMEOUT_MS,
    });
    limiters.set(key, rl);
  }
  return rl;
}

/** Counts one request against `identifier` in `bucket` and says whether it may pass. */
export async function consume(env: Env, bucket: string, config: Limit, identifier: string): Promise<Decision> {
  let res: Awaited<ReturnType<Ratelimit["limit"]>>;
  try {
    res = await limiter(env, bucket, config).limit(identifier);
  } catch (err) {
    throw new LimiterUnavailableError(err instanceof Error ? err.message : String(err));
  }
  if (res.reason === "timeout") throw new LimiterUnavailableError("redis timed out");
  const decision = { success: res.success, limit: res.limit, remaining: res.remaining, reset: res.reset };
  if (decision.remaining > 0) return decision;
  return { ...decision, reset: await nextPass(env, bucket, config, identifier, res.reset) };
}

/**
 * With nothing left, `reset` becomes when the next request will pass (sliding.ts), from the two window
 * counts the limiter just used, read with one more round trip (only callers at their limit pay it).
 * If Redis does not answer in time, two windows from the current one's start is a bound that always holds.
 */
async function nextPass(env: Env, bucket: string, config: Limit, identifier: string, windowEnd: number): Promise<number> {
  const w = windowMs(config.window);
  const index = Math.round(windowEnd / w) - 1;
  const key = (i: number) => `${prefixOf(bucket, config)}:${identifier}:${i}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const counts = await Promise.race([
      getRedis(env).mget<[number | string | null, number | string | null]>(key(index), key(index - 1)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), REDIS_TIMEOUT_MS);
      }),
    ]);
    const [current, previous] = counts.map((v) => Number(v ?? 0));
    return nextPassAt({
      limit: config.limit,
      windowMs: w,
      windowStart: index * w,
      current: current!,
      previous: previous!,
      now: Date.now(),
    });
  } catch {
    return windowEnd + w;
  } finally {
    clearTimeout(timer);
  }
}

export async function reset(env: Env, bucket: string, config: Limit, identifier: string): Promise<void> {
  try {
    await limiter(env, bucket, config).resetUsedTokens(identifier);
  } catch (err) {
    throw new LimiterUnavailableError(err instanceof Error ? err.message : String(err));
  }
}

/** Seconds until `reset`, as `RateLimit-Reset` and `Retry-After` state it (at least 1, rounded up). */
export function secondsUntil(resetMs: number): number {
  return Math.max(1, Math.ceil((resetMs - Date.now()) / 1000));
}

export function rateLimitHeaders(d: Decision): Record<string, string> {
  return {
    "RateLimit-Limit": String(d.limit),
    "RateLimit-Remaining": String(Math.max(0, d.remaining)),
    "RateLimit-Reset": String(secondsUntil(d.reset)),
  };
}
