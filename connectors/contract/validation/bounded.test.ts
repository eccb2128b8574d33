import { describe, expect, it } from "vitest";
import { AREA_BOUNDS, isStorableText, isValidKeyFor, numberIssue, PRICE_BOUNDS, timeIssue, YEAR_BOUNDS } from "./bounded";

describe("bounds that match storage", () => {
  it("numbers: finite, in range, whole where needed, not below a real column's resolution", () => {
    expect(numberIssue(1e20, PRICE_BOUNDS)).toMatch(/at most/);
    expect(numberIssue(1e12, PRICE_BOUNDS)).toBeUndefined();
    expect(numberIssue(-1, PRICE_BOUNDS)).toMatch(/at least/);
    expect(numberIssue(Number.NaN, PRICE_BOUNDS)).toMatch(/finite/);
    expect(numberIssue(Number.POSITIVE_INFINITY, AREA_BOUNDS)).toMatch(/finite/);
    expect(numberIssue(1.5e-323, AREA_BOUNDS)).toMatch(/0 or at least/);
    expect(numberIssue(0, AREA_BOUNDS)).toBeUndefined();
    expect(numberIssue(1e39, AREA_BOUNDS)).toMatch(/at most/);
    expect(numberIssue(1999.5, YEAR_BOUNDS)).toMatch(/whole/);
  });

  it("text: no control characters or lone surrogates; line breaks only where multi-line", () => {
    expect(isStorableText("Zürich 😀")).toBe(true);
    for (const bad of ["\u0000", "a\u0007", "\u001b[31m", "\u0085", "\ud800", "x\udfff", "a\r\nb"]) {
      expect(isStorableText(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(isStorableText("line\nline", { multiline: true })).toBe(true);
    expect(isStorableText("line\u0000", { multiline: true })).toBe(false);
  });

  it("dates: 1800 to 2200", () => {
    expect(timeIssue("0000-01-01")).toBeDefined();
    expect(timeIssue("1799-12-31")).toBeDefined();
    expect(timeIssue("1800-01-01")).toBeUndefined();
    expect(timeIssue("2200-12-31")).toBeUndefined();
    expect(timeIssue("2201-01-01")).toBeDefined();
    expect(timeIssue("not a date")).toBeDefined();
  });

  it("cursor keys: values of the sort column's type as Postgres writes them", () => {
    expect(isValidKeyFor("timestamptz", "2026-05-05 05:05:05.123456+00")).toBe(true);
    expect(isValidKeyFor("timestamptz", "2026-02-30 00:00:00+00")).toBe(false);
    expect(isValidKeyFor("timestamptz", "not a date")).toBe(false);
    expect(isValidKeyFor("bigint", "75000000")).toBe(true);
    expect(isValidKeyFor("bigint", "9223372036854775808")).toBe(false);
    expect(isValidKeyFor("bigint", "1e3")).toBe(false);
    expect(isValidKeyFor("real", "1234.5")).toBe(true);
    expect(isValidKeyFor("real", "1e+06")).toBe(true);
    expect(isValidKeyFor("real", "1e39")).toBe(false);
    expect(isValidKeyFor("real", "1e-50")).toBe(false);
    expect(isValidKeyFor("float8", "1e-50")).toBe(true);
    for (const cast of ["bigint", "real", "float8", "timestamptz"]) {
      for (const bad of ["1e999", "NaN", "Infinity", "", "-Infinity"])
        expect(isValidKeyFor(cast, bad), `${cast} ${bad}`).toBe(false);
    }
  });
});
