/**
 * Plausibility's currency rule, the prices it keeps: a price in the country's currency, and a price in
 * another currency when the source's own price text names it (plausibility.ts).
 */
import { describe, expect, it } from "vitest";
import { ingestPlausibility, vancouverItem } from "./plausibility.fixture";

describe("plausibility: a price in the currency of the listing's country", () => {
  it("is stored as given, without a warning", () => {
    const { listing, warnings } = ingestPlausibility(vancouverItem());
    expect(warnings).toEqual([]);
    expect(listing).toMatchObject({ priceMinor: 189_800_000, currency: "CAD" });
    expect(listing.attributes).not.toHaveProperty("withheld_price");
  });

  it("defaults to the country's currency when the source names none", () => {
    const { listing, warnings } = ingestPlausibility(vancouverItem({ currency: undefined }));
    expect(warnings).toEqual([]);
    expect(listing).toMatchObject({ priceMinor: 189_800_000, currency: "CAD" });
  });
});

describe("plausibility: a price in another currency that the source states consistently", () => {
  it("is kept when the price text itself names the currency the item states", () => {
    const { listing, warnings } = ingestPlausibility(vancouverItem({ price: "US$ 1,898,000", currency: "USD" }));
    expect(warnings).toEqual([]);
    expect(listing).toMatchObject({ priceMinor: 189_800_000, currency: "USD" });
  });

  it("is kept when the currency comes from the text alone (a Spanish villa quoted in pounds)", () => {
    const { listing, warnings } = ingestPlausibility(
      vancouverItem({
        price: "£350,000",
        currency: undefined,
        address: { street: "Calle Mayor 3", city: "Marbella", country: "ES" },
        location: { lat: 36.51, lng: -4.88 },
      }),
    );
    expect(warnings).toEqual([]);
    expect(listing).toMatchObject({ priceMinor: 35_000_000, currency: "GBP" });
  });

  it("is not checked in a country whose currency is not known", () => {
    const { listing, warnings } = ingestPlausibility(
      vancouverItem({
        currency: "USD",
        address: { street: "1 Main Road", city: "Montevideo", country: "UY" },
        location: null,
      }),
    );
    expect(warnings).toEqual([]);
    expect(listing).toMatchObject({ priceMinor: 189_800_000, currency: "USD" });
  });

  it("an item without a price has nothing to withhold", () => {
    const { listing, warnings } = ingestPlausibility(vancouverItem({ price: null, currency: "USD" }));
    expect(warnings).toEqual([]);
    expect(listing.priceMinor).toBeNull();
  });
});
