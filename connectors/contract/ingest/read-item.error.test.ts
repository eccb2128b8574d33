/**
 * An incoming item read once (read-item.ts), the cases it refuses or flags: a price that is not a price
 * fails validation with the field named; a currency that is not the country's, which the price text does
 * not name, is withheld (docs/ingest.md, "Plausibility").
 */
import { describe, expect, it } from "vitest";
import { vancouverItem } from "./plausibility.fixture";
import { readIngestItem } from "./read-item";

const MISMATCH = {
  code: "currency_country_mismatch",
  country: "CA",
  currency: "USD",
  expected: "CAD",
  action: "price_withheld",
};

describe("readIngestItem: an invalid price", () => {
  it("a text that is no price (a date) fails validation on `price`", () => {
    const read = readIngestItem(vancouverItem({ price: "15/03/2025" }));
    expect(read.success).toBe(false);
    if (read.success) return;
    expect(read.error.issues).toEqual([expect.objectContaining({ path: ["price"], message: 'not a price: "15/03/2025"' })]);
  });

  it("a negative number fails validation on `price`", () => {
    const read = readIngestItem(vancouverItem({ price: -1 }));
    expect(read.success).toBe(false);
    if (read.success) return;
    expect(read.error.issues.map((i) => i.path)).toEqual([["price"]]);
  });

  it("something that is not an item at all fails validation", () => {
    for (const raw of [null, "a listing", [vancouverItem()]]) expect(readIngestItem(raw).success).toBe(false);
  });
});

describe("readIngestItem: a currency other than the listing country's that the price text does not name", () => {
  it("a numeric price with currency USD for a Canadian house is withheld", () => {
    const read = readIngestItem(vancouverItem({ price: 1_898_000, currency: "USD" }));
    expect(read).toMatchObject({
      success: true,
      item: { price: 1_898_000, currency: "USD" },
      priceTextCurrency: null,
      listing: { priceMinor: null, currency: "CAD" },
      warnings: [MISMATCH],
    });
  });

  it("a price text naming another currency than the item's (C$ beside USD) is withheld", () => {
    const read = readIngestItem(vancouverItem({ price: "C$1,898,000", currency: "USD" }));
    expect(read).toMatchObject({ success: true, priceTextCurrency: "CAD", listing: { priceMinor: null }, warnings: [MISMATCH] });
  });
});
