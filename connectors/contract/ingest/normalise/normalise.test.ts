import { describe, expect, it } from "vitest";
import { toListing } from "../listing";
import { IngestItemSchema } from "../schema";
import { toCountryCode } from "./country";
import { minorUnitDigits, parsePrice, toMinorUnits } from "./money";
import { stripHtml } from "./text";
import { parseArea } from "./units";
import { toListingType, toPropertyType, toStatus } from "./vocab";

describe("units", () => {
  it.each([
    ["1,200 sq ft", 111.48],
    ["1200 sqft", 111.48],
    ["850 ft²", 78.97],
    ["0.25 acres", 1011.71],
    ["2 ha", 20000],
    ["650m²", 650],
    ["85,5 m2", 85.5],
    [120, 120],
  ] as const)("%s → %d m²", (input, sqm) => {
    expect(parseArea(input)).toBe(sqm);
  });

  it("accepts {value, unit} and refuses unknown units", () => {
    expect(parseArea({ value: 1, unit: "acre" })).toBe(4046.86);
    expect(parseArea("12 furlongs")).toBeUndefined();
    expect(parseArea("big")).toBeUndefined();
  });
});

describe("prices", () => {
  it.each([
    [450000, 450000],
    ["450,000", 450000],
    ["$1.2m", 1200000],
    ["AUD 850k", 850000],
    ["€ 1.250.000", 1250000],
    ["£325,000.50", 325000.5],
  ] as const)("%s → %d", (input, major) => {
    expect(parsePrice(input)).toBe(major);
  });

  it("has no price for text without an amount", () => {
    expect(parsePrice("Contact agent")).toBeUndefined();
  });

  it("converts to minor units by the currency's exponent", () => {
    expect(toMinorUnits(850000, "AUD")).toBe(85_000_000);
    expect(toMinorUnits(1000, "JPY")).toBe(1000);
    expect(minorUnitDigits("KWD")).toBe(3);
  });
});

describe("countries", () => {
  it.each([
    ["New Zealand", "NZ"],
    ["nz", "NZ"],
    ["Aotearoa", "NZ"],
    ["Australia", "AU"],
    ["USA", "US"],
    ["United States", "US"],
    ["UK", "GB"],
    ["England", "GB"],
    ["United Kingdom", "GB"],
    ["Malta", "MT"],
    ["MLT", "MT"],
  ])("%s → %s", (name, code) => {
    expect(toCountryCode(name)).toBe(code);
  });

  it("refuses what is not a country", () => {
    expect(toCountryCode("Atlantis")).toBeUndefined();
    expect(toCountryCode("XX")).toBeUndefined();
  });
});

describe("synonyms", () => {
  it.each([
    ["Apartment/Unit", "apartment"],
    ["Flat", "apartment"],
    ["Single Family Residence", "house"],
    ["Townhome", "townhouse"],
    ["Condominium", "condo"],
    ["Duplex", "multi_family"],
    ["Vacant Land", "land"],
    ["Section", "land"],
    ["Retail", "commercial"],
    ["D", "house"],
    ["F", "apartment"],
  ])("property type %s → %s", (word, value) => {
    expect(toPropertyType(word)).toBe(value);
  });

  it.each([
    ["Under Offer", "pending"],
    ["Sold STC", "pending"],
    ["Under Contract", "pending"],
    ["For Sale", "active"],
    ["Settled", "sold"],
    ["Let", "leased"],
    ["Off Market", "off_market"],
    ["Expired", "withdrawn"],
  ])("status %s → %s", (word, value) => {
    expect(toStatus(word)).toBe(value);
  });

  it("listing types", () => {
    expect(toListingType("For Rent")).toBe("rent");
    expect(toListingType("To Let")).toBe("rent");
    expect(toListingType("Buy")).toBe("sale");
  });
});

describe("item validation and normalisation", () => {
  const base = {
    source: "Example.COM",
    source_listing_id: 42,
    source_url: "https://example.com/42",
    address: { street: "1 Main St", city: "Wellington", country: "New Zealand", county: "Wellington Region" },
  };

  it("strips HTML, dedupes images, keeps unknown fields, defaults the currency", () => {
    const item = IngestItemSchema.parse({
      ...base,
      title: "<h1>Sunny &amp; warm</h1>",
      description: "<p>Line one</p><script>alert(1)</script><p>Line&nbsp;two</p>",
      images: ["https://a.example/1.jpg", "https://a.example/1.jpg", "https://a.example/2.jpg"],
      price: "NZ$ 1,250,000",
      agent: { name: "Jo" },
    });
    const listing = toListing(item);
    expect(listing).toMatchObject({
      source: "example.com",
      sourceListingId: "42",
      title: "Sunny & warm",
      description: "Line one\nLine two",
      images: ["https://a.example/1.jpg", "https://a.example/2.jpg"],
      currency: "NZD",
      priceMinor: 125_000_000,
      country: "NZ",
    });
    expect(listing.attributes).toEqual({ agent: { name: "Jo" }, address_county: "Wellington Region" });
  });

  it("ignores the read API's computed fields when an item read from the API is written back", () => {
    const listing = toListing(
      IngestItemSchema.parse({
        ...base,
        id: "0b6f3f5e-8d0c-4c1e-9d55-3f7a3c2b1a00",
        price_per_sqm: 1234,
        quality_score: 0.9,
        updated_at: "2026-11-01T00:00:00Z",
        thumbnail_url: "https://a.example/t.jpg",
        address: { ...base.address, full: "1 Main Street, Wellington" },
      }),
    );
    expect(listing.attributes).toEqual({ address_county: "Wellington Region" });
  });

  it("keeps at most 50 images", () => {
    const images = Array.from({ length: 60 }, (_, i) => `https://a.example/${i}.jpg`);
    expect(IngestItemSchema.parse({ ...base, images }).images).toHaveLength(50);
  });

  it("maps an unknown property type to other and counts it against quality", () => {
    const listing = toListing(IngestItemSchema.parse({ ...base, property_type: "Castle" }));
    expect(listing.propertyType).toBe("other");
    expect(listing.warnings).toEqual(["property_type"]);
    expect(listing.attributes.property_type_raw).toBe("Castle");
  });

  it("strips markup safely", () => {
    expect(stripHtml('<img src=x onerror="alert(1)">Hi <a href="#">there</a>')).toBe("Hi there");
  });
});
