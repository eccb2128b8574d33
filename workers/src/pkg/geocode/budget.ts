/**
 * The provider's request budget, shared by every isolate of every Worker: at most one request per
 * interval (Nominatim's usage policy allows one per second for a whole application). The slot is a
 * Redis key set with NX and a millisecond expiry, so two grants are always at least an interval apart
 * wherever they run. (`@upstash/ratelimit`'s token bucket refills on a fixed grid and can grant two
 * requests a few milliseconds apart across a refill boundary, which this policy does not allow.)
 */
import type { Env } from "../../env";
import { getRedis } from "../redis";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the next slot, waiting up to `waitMs` for one. False when none came free in time — or when
 * Redis cannot be asked: without the shared budget we cannot prove we stay within the policy, so we
 * do not call the provider (fail closed).
 */
export async function takeSlot(env: Env, key: string, intervalMs: number, waitMs = 0): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  try {
    const redis = getRedis(env);
    for (;;) {
      if ((await redis.set(key, Date.now(), { nx: true, px: intervalMs })) === "OK") return true;
      const ttl = await redis.pttl(key);
      const pause = (ttl > 0 ? ttl : 20) + Math.floor(Math.random() * 20);
      if (Date.now() + pause > deadline) return false;
      await sleep(pause);
    }
  } catch {
    return false;
  }
}
