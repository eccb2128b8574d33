/**
 * `Retry-After` and `RateLimit-Reset` tell the truth about the sliding window: they say when the next
 * request will pass, which is often before the fixed window's end (the previous window's weight is
 * what refuses). The window counts are written into Redis directly, so the moment of the next pass is
 * known exactly; each test has its own caller (IP) and window length, so no other test shares the keys.
 */
import { describe, expect, it } from "vitest";
import { callWithEnv, testEnv, unique } from "../../../../test/helpers";
import { getRedis } from "../../../pkg/redis";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(windowSeconds: number, limit: number) {
  const ip = unique("203.0.113");
  const w = windowSeconds * 1000;
  const key = (index: number) => `rl:api:anonymous:${windowSeconds}s:ip:${ip}:${index}`;
  const send = () =>
    callWithEnv(
      "/api/v1/properties?limit=1",
      { RATE_LIMITS: JSON.stringify({ anonymous: { limit, window: `${windowSeconds} s` } }) },
      { headers: { "CF-Connecting-IP": ip } },
    );
  return { w, key, send };
}

/** Waits until `fraction` or less of the current window has passed, so the test's arithmetic has room. */
async function earlyInWindow(w: number, fraction: number) {
  const into = Date.now() % w;
  if (into > fraction * w) await sleep(w - into + 50);
}

describe("rate-limit headers on a sliding window", () => {
  it("a 429 caused by the previous window's weight names the moment it slides off, not the window's end", async () => {
    const { w, key, send } = setup(30, 100);
    await earlyInWindow(w, 0.4);
    const index = Math.floor(Date.now() / w);
    // 200 requests in the previous window: refused while floor(200 × (1 − elapsed)) ≥ 100, i.e. until half of this window.
    await getRedis(testEnv).set(key(index - 1), 200, { px: 3 * w });
    const res = await send();
    expect(res.status, await res.clone().text()).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    const expected = (index * w + 0.5 * w - Date.now()) / 1000;
    const windowEnd = (index * w + w - Date.now()) / 1000;
    expect(retryAfter).toBeGreaterThanOrEqual(Math.floor(expected));
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(expected) + 1);
    expect(retryAfter).toBeLessThan(windowEnd - 3);
    expect(res.headers.get("ratelimit-reset")).toBe(String(retryAfter));
    expect(res.headers.get("ratelimit-remaining")).toBe("0");
  }, 40_000);

  it("after waiting Retry-After, the next request passes; before the limit it is refused", async () => {
    const { w, key, send } = setup(4, 10);
    await earlyInWindow(w, 0.3);
    const index = Math.floor(Date.now() / w);
    // Refused until 90 % of the window (3.6 s in), as above.
    await getRedis(testEnv).set(key(index - 1), 100, { px: 3 * w });
    const refused = await send();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(4);
    await sleep(retryAfter * 1000 + 100);
    const passed = await send();
    expect(passed.status, await passed.clone().text()).toBe(200);
  });

  it("when this window used the whole limit, the next request passes just after it ends", async () => {
    const { w, key, send } = setup(120, 3);
    await earlyInWindow(w, 0.98);
    const index = Math.floor(Date.now() / w);
    await getRedis(testEnv).set(key(index), 3, { px: 3 * w });
    const res = await send();
    expect(res.status).toBe(429);
    const toWindowEnd = (index * w + w - Date.now()) / 1000;
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(Math.floor(toWindowEnd));
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(Math.ceil(toWindowEnd) + 1);
  });
});
