import { describe, expect, it } from "vitest";
import { type FilterQuery, parseFilters } from "./params";
import type { Cursor } from "./sort";
import {
  estimateMatches,
  isRareTerm,
  lexemes,
  parsePgTextArray,
  statusShare,
  strategyFor,
  termStatsFromRow,
  textWindow,
  timestampMs,
} from "./strategy";

// 101 histogram bounds of listed_at: one per day from 2026-01-01 (1% of the rows each).
const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().replace("T", " ").replace(".000Z", "+00");
const listedBounds = `{${Array.from({ length: 101 }, (_, i) => `"${day(i)}"`).join(",")}}`;
const stats = termStatsFromRow({
  elems: '{garden,"o\'neil",well,brighton}',
  freqs: [0.01, 0.003, 0.48, 0.005, 0.003, 0.48, 0],
  rows: 1_000_000,
  listed_bounds: listedBounds,
});
const filters = (q: Partial<FilterQuery>) => parseFilters(q as FilterQuery);

describe("query strategy", () => {
  it("reads Postgres' element statistics", () => {
    expect(parsePgTextArray('{a,"b c","d\\"e",f}')).toEqual(["a", "b c", 'd"e', "f"]);
    expect(stats.freqs.get("well")).toBe(0.48);
    expect(stats.minFreq).toBe(0.003);
    expect(stats.listedBounds).toHaveLength(101);
    expect(timestampMs(stats.listedBounds[100] as string)).toBe(Date.UTC(2026, 3, 11));
    expect(timestampMs("2026-11-03 00:16:55.901+00")).toBe(Date.UTC(2026, 10, 3, 0, 16, 55, 901));
    expect(stats.rows).toBe(1_000_000);
  });

  it("splits a query into words like the 'simple' parser", () => {
    expect(lexemes("Zürich  Garden-view!")).toEqual(["zurich", "garden", "view"]);
  });

  it("estimates matches from the rarest word; words missing from the list are rarer than all listed", () => {
    expect(estimateMatches(stats, "well")).toBe(480_000);
    expect(estimateMatches(stats, "well garden")).toBe(10_000);
    expect(estimateMatches(stats, "karori")).toBe(1_500);
  });

  it("fences rare words, walks common ones, probes areas", () => {
    // √(2 × 21 × 1,000,000) ≈ 6,481 matches is the crossover.
    expect(isRareTerm(stats, "karori", 21)).toBe(true);
    expect(isRareTerm(stats, "garden", 21)).toBe(false);
    const strategy = (q: Partial<FilterQuery>, s = stats) => strategyFor(filters(q), 21, s).strategy;
    expect(strategy({ q: "karori" })).toBe("fenced");
    expect(strategy({ q: "well" })).toBe("walk");
    expect(strategy({ q: "well", bbox: "1,1,2,2" })).toBe("spatial");
    expect(strategy({ near: "1,1" }, undefined)).toBe("spatial");
    expect(strategy({ city: "Oakland" }, undefined)).toBe("plain");
    expect(strategy({ q: "anything" }, undefined)).toBe("fenced");
  });

  it("looks for a middle-frequency word newest first in a window of recent listings", () => {
    // garden: 10,000 matches. 3 × 21 / 10,000 of the rows = 0.63% → one bucket of 1%.
    expect(textWindow(stats, "garden", 21)).toBe("2026-04-10T00:00:00.000Z");
    // brighton (5,000 matches): 3 × 21 / 5,000 = 1.26% → two buckets; the fallback is fenced (≤ √(2·21·10⁶)).
    const choice = strategyFor(filters({ q: "brighton" }), 21, stats, { sort: "-listed_at" });
    expect(choice).toEqual({ strategy: "windowed", window: { since: "2026-04-09T00:00:00.000Z", fallback: "fenced" } });
    expect(strategyFor(filters({ q: "garden" }), 21, stats, { sort: "-listed_at" }).window?.fallback).toBe("walk");
  });

  it("widens the window by the share of rows in the wanted statuses", () => {
    const withStatus = termStatsFromRow({
      elems: "{garden}",
      freqs: [0.01, 0.01, 0.01, 0],
      rows: 1_000_000,
      listed_bounds: listedBounds,
      status_vals: "{active,sold,withdrawn}",
      status_freqs: [0.25, 0.6, 0.1],
    });
    expect(withStatus.statusFreqs.get("sold")).toBe(0.6);
    expect(statusShare(withStatus, ["active"])).toBe(0.25);
    // A status ANALYZE did not list shares what the listed ones leave (5 %).
    expect(statusShare(withStatus, ["active", "under_offer"])).toBeCloseTo(0.3);
    expect(statusShare(withStatus, undefined)).toBe(1);
    expect(statusShare(stats, ["active"])).toBe(1);
    // garden, active only: 3 × 21 / (10,000 × 0.25) = 2.52 % → three buckets instead of one.
    expect(textWindow(withStatus, "garden", 21, undefined, ["active"])).toBe("2026-04-08T00:00:00.000Z");
    expect(strategyFor(filters({ q: "garden" }), 21, withStatus, { sort: "-listed_at" }).window?.since).toBe(
      "2026-04-08T00:00:00.000Z",
    );
    // A status with no rows at all: no window is worth it.
    expect(
      textWindow({ ...withStatus, statusFreqs: new Map([["active", 0]]) }, "garden", 21, undefined, ["active"]),
    ).toBeUndefined();
  });

  it("starts the window below the cursor", () => {
    const cursor: Cursor = { sort: "-listed_at", segment: "value", key: "2026-02-15 12:00:00.5+00", id: "x", fingerprint: "f" };
    // The cursor lies in the bucket that starts on day 45; one bucket further down is day 44.
    expect(textWindow(stats, "garden", 21, cursor)).toBe("2026-02-14T00:00:00.000Z");
    const early: Cursor = { ...cursor, key: "2026-01-01 06:00:00+00" };
    expect(textWindow(stats, "garden", 21, early)).toBeUndefined();
  });

  it("keeps the plain plans where a window saves nothing", () => {
    const sorted = { sort: "-listed_at" as const };
    // Rare (fetch all), common (walk a few rows), another sort, other filters, no histogram.
    expect(strategyFor(filters({ q: "karori" }), 21, stats, sorted).strategy).toBe("fenced");
    expect(strategyFor(filters({ q: "well" }), 21, stats, sorted).strategy).toBe("walk");
    expect(strategyFor(filters({ q: "garden" }), 21, stats, { sort: "price" }).strategy).toBe("walk");
    expect(strategyFor(filters({ q: "garden", city: "Brighton" }), 21, stats, sorted).strategy).toBe("walk");
    expect(strategyFor(filters({ q: "garden" }), 21, { ...stats, listedBounds: [] }, sorted).strategy).toBe("walk");
    // A histogram bound that is no timestamp (Postgres prints infinite ones as words).
    const odd = { ...stats, listedBounds: stats.listedBounds.map((b, i) => (i === 99 ? "-infinity" : b)) };
    expect(textWindow(odd, "garden", 21)).toBeUndefined();
    // A page so deep that the window would cost more than fetching every match.
    expect(textWindow(stats, "brighton", 1000)).toBeUndefined();
  });
});
