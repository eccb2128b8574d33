/**
 * Sliding-window limits in Redis through `@upstash/ratelimit`. Every bucket (API per role, failed
 * sign-ins per account / per IP) is one limiter with its own key prefix.
 */
import { Ratelimit } from "@upstash/ratelimit";
import type { Env } from "../../env";
import { getRedis } from "../redis";
import type { Limit } from "./config";

/**
 * How long a whole limit check may take before it counts as "Redis is down". Each Redis command of
 * the check is bounded sooner, by REDIS_TIMEOUT_MS (pkg/backend/bounds.ts); this is the outer limit.
 */
const REDIS_TIMEOUT_MS = 5_000;

export type Decision = { success: boolean; limit: number; remaining: number /** Unix ms. */; reset: number };

/** Redis did not answer (error or timeout); the caller decides whether to fail open or closed. */
export class LimiterUnavailableError extends Error {}

const limiters = new Map<string, Ratelimit>();

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
      prefix: `rl:${bucket}:${config.window.replace(/ /g, "")}`,
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
  return { success: res.success, limit: res.limit, remaining: res.remaining, reset: res.reset };
}

export async function reset(env: Env, bucket: string, config: Limit, identifier: string): Promise<void> {
  try {
    await limiter(env, bucket, config).resetUsedTokens(identifier);
  } catch (err) {
    throw new LimiterUnavailableError(err instanceof Error ? err.message : String(err));
  }
}

/** Seconds until the window resets, as `RateLimit-Reset` and `Retry-After` state it (at least 1). */
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
