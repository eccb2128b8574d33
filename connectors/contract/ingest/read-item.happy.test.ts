/**
 * An incoming item read once (read-item.ts): its price text read a single time gives both the price the
 * item is validated with and the currency the text names, which plausibility's currency rule takes as the
 * source being consistent about a currency that is not its country's (docs/ingest.md, "Plausibility").
 */
import { describe, expect, it } from "vitest";
import { vancouverItem } from "./plausibility.fixture";
import { readIngestItem } from "./read-item";

describe("readIngestItem: a price text naming a currency other than the listing country's", () => {
  it("is kept, the text's currency confirming the one the item states", () => {
    const read = readIngestItem(vancouverItem({ price: "US$ 1,898,000", currency: "USD" }));
    expect(read).toMatchObject({
      success: true,
      item: { price: 1_898_000, currency: "USD" },
      priceTextCurrency: "USD",
      listing: { priceMinor: 189_800_000, currency: "USD", country: "CA" },
      warnings: [],
    });
  });

  it("gives the item its currency when the item names none (a Vancouver house quoted in pounds)", () => {
    const read = readIngestItem(vancouverItem({ price: "£1,200,000", currency: undefined }));
    expect(read).toMatchObject({
      success: true,
      item: { price: 1_200_000, currency: "GBP" },
      priceTextCurrency: "GBP",
      listing: { priceMinor: 120_000_000, currency: "GBP" },
      warnings: [],
    });
  });
});

describe("readIngestItem: a numeric price", () => {
  it("names no currency; in the country's currency it is stored as given", () => {
    const read = readIngestItem(vancouverItem({ price: 1_898_000, currency: "CAD" }));
    expect(read).toMatchObject({
      success: true,
      item: { price: 1_898_000, currency: "CAD" },
      priceTextCurrency: null,
      listing: { priceMinor: 189_800_000, currency: "CAD" },
      warnings: [],
    });
  });

  it("a weekly rent as a number with its period is stored per month, still naming no currency", () => {
    const read = readIngestItem(vancouverItem({ listing_type: "rent", price: 660, price_period: "week" }));
    if (!read.success) throw read.error;
    expect(read.priceTextCurrency).toBeNull();
    expect(read.item.price).toBe(2_860);
    expect(read.listing.attributes.source_price).toEqual({ amount: 660, period: "week" });
  });
});

describe("readIngestItem: a rent quoted per week in text", () => {
  it("is stored per month with the quote kept, and the text's currency read from the same reading", () => {
    const read = readIngestItem(
      vancouverItem({
        listing_type: "rent",
        price: "£260 pw",
        currency: undefined,
        address: { street: "10 Downing Street", city: "London", postal_code: "SW1A 2AA", country: "GB" },
        location: { lat: 51.5034, lng: -0.1276 },
      }),
    );
    if (!read.success) throw read.error;
    expect(read.priceTextCurrency).toBe("GBP");
    expect(read.item).toMatchObject({ price: 1_127, currency: "GBP" });
    expect(read.listing.attributes.source_price).toEqual({ amount: 260, period: "week", text: "£260 pw" });
    expect(read.warnings).toEqual([]);
  });
});
