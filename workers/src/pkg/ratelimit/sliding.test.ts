import { describe, expect, it } from "vitest";
import { nextPassAt, windowMs } from "./sliding";

/** The Upstash sliding-window rule itself, to check the computed time against. */
const passes = (limit: number, w: number, start: number, current: number, previous: number, t: number) =>
  t < start + w
    ? Math.floor(previous * (1 - (t - start) / w)) + current < limit
    : Math.floor(current * (1 - (t - start - w) / w)) < limit;

describe("nextPassAt", () => {
  const w = 60_000;
  const start = 1_800_000_000_000 - (1_800_000_000_000 % w);

  it("is now when the request would pass now", () => {
    expect(nextPassAt({ limit: 5, windowMs: w, windowStart: start, current: 2, previous: 0, now: start + 10 })).toBe(start + 10);
  });

  it("is within the window when the previous window's weight is what refuses", () => {
    // 120 requests in the previous window, 3 in this one, 1 s in: 117 + 3 = 120 ≥ 120.
    const t = nextPassAt({ limit: 120, windowMs: w, windowStart: start, current: 3, previous: 120, now: start + 1000 });
    expect(t).toBeLessThan(start + 2_000); // not the 59 s the fixed window's end would say
    expect(passes(120, w, start, 3, 120, t)).toBe(true);
    expect(passes(120, w, start, 3, 120, t - 1)).toBe(false);
  });

  it("is just after the window's end when this window used the whole limit", () => {
    const t = nextPassAt({ limit: 3, windowMs: w, windowStart: start, current: 3, previous: 0, now: start + 5000 });
    expect(t).toBe(start + w + 1);
  });

  it("is the first passing ms for many shapes (checked against the rule)", () => {
    for (const limit of [1, 2, 3, 7, 120])
      for (const previous of [0, 1, limit, limit * 2])
        for (const current of [0, 1, limit - 1, limit])
          for (const at of [0, 1, 1234, w / 2, w - 1]) {
            const now = start + at;
            const t = nextPassAt({ limit, windowMs: w, windowStart: start, current, previous, now });
            expect(t).toBeGreaterThanOrEqual(now);
            expect(passes(limit, w, start, current, previous, t), `${limit} ${previous} ${current} ${at}`).toBe(true);
            if (t > now) expect(passes(limit, w, start, current, previous, t - 1)).toBe(false);
          }
  });

  it("reads the window syntax of RATE_LIMITS", () => {
    expect(windowMs("60 s")).toBe(60_000);
    expect(windowMs("15 m")).toBe(900_000);
    expect(windowMs("250 ms")).toBe(250);
    expect(() => windowMs("soon")).toThrow();
  });
});
