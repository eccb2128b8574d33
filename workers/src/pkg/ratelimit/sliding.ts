/**
 * When will the next request pass a sliding window? `@upstash/ratelimit`'s sliding window counts the
 * requests of the current fixed window plus the previous window's, weighted by the share of the previous
 * window still inside the sliding one: a request passes when
 * `floor(previous × (1 − elapsed/window)) + current < limit` (its Lua script, `slidingWindowLimitScript`).
 * Its own `reset` is the end of the current fixed window, which is neither when the next request passes
 * (often sooner: the previous window's weight is what refuses) nor a time the quota is back. This
 * computes the first moment the inequality holds again, assuming no other request of the caller passes
 * meanwhile (refused ones are not counted).
 */

/** Window lengths in the syntax of `RATE_LIMITS` ("60 s", "15 m", …), in ms. */
export function windowMs(window: string): number {
  const m = /^(\d+)\s?(ms|s|m|h|d)$/.exec(window);
  if (!m) throw new Error(`not a window: ${window}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "ms"];
  return Number(m[1]) * unit;
}

export type WindowCounts = {
  limit: number;
  windowMs: number;
  /** Start of the current fixed window, Unix ms (a multiple of windowMs). */
  windowStart: number;
  current: number;
  previous: number;
  now: number;
};

/** Unix ms at which the next request passes (`now` when it would pass now). */
export function nextPassAt({ limit, windowMs: w, windowStart, current, previous, now }: WindowCounts): number {
  const passes = (t: number) => {
    const inWindow = t < windowStart + w;
    const cur = inWindow ? current : 0;
    const prev = inWindow ? previous : current;
    const elapsed = (t - (inWindow ? windowStart : windowStart + w)) / w;
    return Math.floor(prev * (1 - elapsed)) + cur < limit;
  };
  if (passes(now)) return now;
  // In this window the weight of `previous` must fall below what `current` leaves of the limit;
  // in the next one, `current` becomes the previous window and must fall below the whole limit.
  const [start, prev, room] =
    current < limit && previous > 0 ? [windowStart, previous, limit - current] : [windowStart + w, current, limit];
  if (prev === 0) return Math.max(now, start);
  // Smallest whole ms t with prev × (1 − (t − start)/w) < room; checked, since the float division can be off by one.
  let t = Math.max(now, start + Math.floor(w * (1 - room / prev)) + 1);
  while (t > now && t > start && passes(t - 1)) t -= 1;
  while (!passes(t)) t += 1;
  return t;
}
