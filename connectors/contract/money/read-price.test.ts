import { describe, expect, it } from "vitest";
import { listingPrice, minorUnitDigits, perMonth, readPrice, toMajor, toMinorUnits, toRentPeriod } from "./index";

describe("readPrice: the one price reader", () => {
  it("never reads a time, a date or a phone number as a price (the issue's 'AUCTION THIS SATURDAY @3:00PM' → 3)", () => {
    expect(readPrice("AUCTION THIS SATURDAY @3:00PM")).toEqual({
      amount: null,
      max: null,
      qualifier: "auction",
      period: null,
      currency: null,
    });
    expect(readPrice("Auction 15 March 2025").amount).toBeNull();
    expect(readPrice("Auction on site 15/03/2025 at 11am").amount).toBeNull();
    expect(readPrice("Inspect Sat 15 10:30am").amount).toBeNull();
    expect(readPrice("Call 0412 345 678")).toMatchObject({ amount: null, qualifier: "contact_agent" });
    expect(readPrice("Contact +44 20 7946 0000").amount).toBeNull();
    expect(readPrice("Phone (02) 9876 5432").amount).toBeNull();
    expect(readPrice("Sold by private treaty 03 Dec 2025").amount).toBeNull();
    expect(readPrice("3 bed house").amount).toBeNull();
    // A year beside the price is not the price.
    expect(readPrice("Built 2015, $500,000").amount).toBe(500000);
  });

  it("reads numbers in the sites' locales (the issue's Swiss 1'250'000 → 1)", () => {
    expect(readPrice("1'250'000").amount).toBe(1250000);
    expect(readPrice("CHF 1'250'000.–")).toMatchObject({ amount: 1250000, currency: "CHF" });
    expect(readPrice("Fr. 1’250’000").amount).toBe(1250000);
    expect(readPrice("1.250.000,00 €")).toMatchObject({ amount: 1250000, currency: "EUR" });
    expect(readPrice("€ 1.250.000").amount).toBe(1250000);
    expect(readPrice("1 250 000 €").amount).toBe(1250000);
    expect(readPrice("1\u202f250\u202f000 €").amount).toBe(1250000);
    expect(readPrice("1,250,000.50").amount).toBe(1250000.5);
    expect(readPrice("£350k")).toMatchObject({ amount: 350000, currency: "GBP" });
    expect(readPrice("$1.2m").amount).toBe(1200000);
    expect(readPrice("$1.25m").amount).toBe(1250000);
    expect(readPrice("915K").amount).toBe(915000);
    expect(readPrice("NZ$ 1,250,000")).toMatchObject({ amount: 1250000, currency: "NZD" });
    expect(readPrice("850000 AUD")).toMatchObject({ amount: 850000, currency: "AUD" });
    expect(readPrice("450000").amount).toBe(450000);
    expect(readPrice("221900.0").amount).toBe(221900);
    expect(readPrice("1.225e+06").amount).toBe(1225000);
    expect(readPrice(450000).amount).toBe(450000);
    expect(readPrice("$1,130,000")).toMatchObject({ amount: 1130000, currency: null });
  });

  it("gives the qualifier a structure", () => {
    expect(readPrice("Offers over $1,500,000")).toMatchObject({ amount: 1500000, qualifier: "offers_over" });
    expect(readPrice("Offers in excess of £2.5m")).toMatchObject({ amount: 2500000, qualifier: "offers_over" });
    expect(readPrice("Guide price £450,000")).toMatchObject({ amount: 450000, qualifier: "guide" });
    expect(readPrice("From $649,990")).toMatchObject({ amount: 649990, qualifier: "from" });
    expect(readPrice("POA")).toMatchObject({ amount: null, qualifier: "poa" });
    expect(readPrice("Price on application")).toMatchObject({ amount: null, qualifier: "poa" });
    expect(readPrice("Contact agent")).toMatchObject({ amount: null, qualifier: "contact_agent" });
    expect(readPrice("Auction")).toMatchObject({ amount: null, qualifier: "auction" });
    expect(readPrice("$700,000 - $760,000")).toMatchObject({ amount: 700000, max: 760000, qualifier: "range" });
    expect(readPrice("Price Guide: $1,100,000 - $1,200,000")).toMatchObject({
      amount: 1100000,
      max: 1200000,
      qualifier: "range",
    });
    expect(readPrice("$1.2 - 1.3m")).toMatchObject({ amount: 1200000, max: 1300000, qualifier: "range" });
    expect(readPrice("Between $500,000 and $550,000")).toMatchObject({ amount: 500000, max: 550000, qualifier: "range" });
    expect(readPrice("Under offer")).toMatchObject({ amount: null, qualifier: null });
  });

  it("reads the rent period", () => {
    expect(readPrice("$660 per week")).toMatchObject({ amount: 660, period: "week" });
    expect(readPrice("$660pw")).toMatchObject({ amount: 660, period: "week" });
    expect(readPrice("£1,250 pcm")).toMatchObject({ amount: 1250, period: "month" });
    expect(readPrice("€1.200 per month")).toMatchObject({ amount: 1200, period: "month" });
    expect(readPrice("$52,000 p.a.")).toMatchObject({ amount: 52000, period: "year" });
    expect(readPrice("£120 per night")).toMatchObject({ amount: 120, period: "day" });
    expect(readPrice("$850 - $900 per week")).toMatchObject({ amount: 850, max: 900, period: "week", qualifier: "range" });
  });
});

describe("rents per month", () => {
  it("converts weekly, daily, yearly and fortnightly rents (×52/12, ×365/12, /12, ×26/12)", () => {
    expect(perMonth(660, "week")).toBe(2860);
    expect(perMonth(260, "week")).toBe(1127); // Rightmove shows £260 pw as £1,127 pcm
    expect(perMonth(100, "day")).toBe(3042);
    expect(perMonth(24000, "year")).toBe(2000);
    expect(perMonth(1200, "fortnight")).toBe(2600);
    expect(perMonth(1500, "month")).toBe(1500);
    expect(perMonth(1500, null)).toBe(1500);
  });

  it("Domain's '$660 per week' is 2,860 a month, the quote kept", () => {
    expect(listingPrice("$660 per week", { rent: true })).toEqual({
      price: 2860,
      priceMax: null,
      qualifier: null,
      currency: null,
      source: { amount: 660, period: "week", text: "$660 per week" },
    });
    // A sale is never converted, whatever the text says.
    expect(listingPrice("$660 per week", { rent: false }).price).toBe(660);
    // A structured period (Rightmove's frequency) when the text says none.
    expect(listingPrice(300, { rent: true, period: "week" })).toMatchObject({
      price: 1300,
      source: { amount: 300, period: "week" },
    });
  });

  it("reads structured period words", () => {
    expect(["weekly", "WEEK", "P1W", "wk"].map(toRentPeriod)).toEqual(["week", "week", "week", "week"]);
    expect(["monthly", "MONTH", "P1M", "MON", "pcm"].map(toRentPeriod)).toEqual(["month", "month", "month", "month", "month"]);
    expect(["yearly", "ANN", "P1Y", "annual"].map(toRentPeriod)).toEqual(["year", "year", "year", "year"]);
    expect(["daily", "DAY", "night"].map(toRentPeriod)).toEqual(["day", "day", "day"]);
    expect(toRentPeriod("not specified")).toBeNull();
  });
});

describe("minor units, one definition", () => {
  it("follows ISO 4217 per currency", () => {
    expect([minorUnitDigits("AUD"), minorUnitDigits("JPY"), minorUnitDigits("KWD")]).toEqual([2, 0, 3]);
    expect(toMinorUnits(850000, "AUD")).toBe(85000000);
    expect(toMinorUnits(readPrice("KWD 1250.125")?.amount ?? 0, "KWD")).toBe(1250125); // three-digit minor unit
    expect(toMinorUnits(50000000, "JPY")).toBe(50000000);
    expect(toMajor("85000000", "AUD")).toBe(850000);
    expect(toMajor(null, "AUD")).toBeNull();
  });
});
