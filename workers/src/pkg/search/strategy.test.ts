import { describe, expect, it } from "vitest";
import { type FilterQuery, parseFilters } from "./params";
import { estimateMatches, isRareTerm, lexemes, parsePgTextArray, strategyFor, termStatsFromRow } from "./strategy";

const stats = termStatsFromRow({ elems: '{garden,"o\'neil",well}', freqs: [0.02, 0.01, 0.48, 0.01, 0.48, 0], rows: 1_000_000 });
const filters = (q: Partial<FilterQuery>) => parseFilters(q as FilterQuery);

describe("query strategy", () => {
  it("reads Postgres' element statistics", () => {
    expect(parsePgTextArray('{a,"b c","d\\"e",f}')).toEqual(["a", "b c", 'd"e', "f"]);
    expect(stats.freqs.get("well")).toBe(0.48);
    expect(stats.minFreq).toBe(0.01);
    expect(stats.rows).toBe(1_000_000);
  });

  it("splits a query into words like the 'simple' parser", () => {
    expect(lexemes("Zürich  Garden-view!")).toEqual(["zurich", "garden", "view"]);
  });

  it("estimates matches from the rarest word; words missing from the list are rarer than all listed", () => {
    expect(estimateMatches(stats, "well")).toBe(480_000);
    expect(estimateMatches(stats, "well garden")).toBe(20_000);
    expect(estimateMatches(stats, "karori")).toBe(5_000);
  });

  it("fences rare words, walks common ones, probes areas", () => {
    // √(2 × 21 × 1,000,000) ≈ 6,481 matches is the crossover.
    expect(isRareTerm(stats, "karori", 21)).toBe(true);
    expect(isRareTerm(stats, "garden", 21)).toBe(false);
    expect(strategyFor(filters({ q: "karori" }), 21, stats)).toBe("fenced");
    expect(strategyFor(filters({ q: "well" }), 21, stats)).toBe("walk");
    expect(strategyFor(filters({ q: "well", bbox: "1,1,2,2" }), 21, stats)).toBe("spatial");
    expect(strategyFor(filters({ near: "1,1" }), 21, undefined)).toBe("spatial");
    expect(strategyFor(filters({ city: "Oakland" }), 21, undefined)).toBe("plain");
    expect(strategyFor(filters({ q: "anything" }), 21, undefined)).toBe("fenced");
  });
});
