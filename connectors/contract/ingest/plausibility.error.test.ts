/**
 * Plausibility's currency rule, the prices it withholds: a currency that is not the country's, which the
 * source's own price text does not name (redfin.ca's "USD" for Vancouver amounts in Canadian dollars:
 * connectors/holdout/RESULTS.md). Withheld means not stored as the price, so no search filter or sort
 * sees it, and kept with the source's currency in `attributes.withheld_price`.
 */
import { describe, expect, it } from "vitest";
import { ingestPlausibility, vancouverItem } from "./plausibility.fixture";

const MISMATCH = {
  code: "currency_country_mismatch",
  country: "CA",
  currency: "USD",
  expected: "CAD",
  action: "price_withheld",
};

describe("plausibility: a price in another currency than the country's, the source not consistent about it", () => {
  it("a number with currency USD for a Canadian house: withheld, the source's amount and currency kept", () => {
    const { listing, warnings } = ingestPlausibility(vancouverItem({ currency: "USD" }));
    expect(warnings).toEqual([MISMATCH]);
    expect(listing).toMatchObject({ priceMinor: null, soldPriceMinor: null, currency: "CAD" });
    expect(listing.attributes.withheld_price).toEqual({
      price: 1_898_000,
      currency: "USD",
      reason: "currency_country_mismatch",
    });
  });

  it("a bare '$' names no currency, so it does not confirm the stated one", () => {
    const { listing, warnings } = ingestPlausibility(vancouverItem({ price: "$1,898,000", currency: "USD" }));
    expect(warnings).toEqual([MISMATCH]);
    expect(listing.priceMinor).toBeNull();
  });

  it("a price text naming another currency than the item's contradicts it", () => {
    const { listing, warnings } = ingestPlausibility(vancouverItem({ price: "C$1,898,000", currency: "USD" }));
    expect(warnings).toEqual([MISMATCH]);
    expect(listing.priceMinor).toBeNull();
  });

  it("a sold listing's sold price and a range's upper bound are withheld with the price", () => {
    const { listing, warnings } = ingestPlausibility(
      vancouverItem({ status: "sold", price: "1,800,000 - 1,900,000", sold_price: 1_850_000, currency: "USD" }),
    );
    expect(warnings).toEqual([MISMATCH]);
    expect(listing).toMatchObject({ priceMinor: null, soldPriceMinor: null, soldPriceGiven: false });
    expect(listing.attributes).not.toHaveProperty("price_max");
    expect(listing.attributes.withheld_price).toEqual({
      price: 1_800_000,
      sold_price: 1_850_000,
      price_max: 1_900_000,
      currency: "USD",
      reason: "currency_country_mismatch",
    });
  });

  it("a withheld price is not also reported as implausible in a currency it was never stored in", () => {
    const { warnings } = ingestPlausibility(vancouverItem({ price: 3, currency: "USD" }));
    expect(warnings.map((w) => w.code)).toEqual(["currency_country_mismatch"]);
  });
});
