import { describe, expect, it } from "vitest";
import { fold, haversineKm, type LiveFilters, matches } from "./filters";
import type { LiveItem } from "./item";

const base: LiveItem = {
  id: "p1",
  title: "Sunny house with garden",
  description: "Close to the lake",
  property_type: "house",
  listing_type: "sale",
  status: "active",
  price: 500_000,
  currency: "USD",
  price_per_sqm: 5000,
  bedrooms: 3,
  bathrooms: 2,
  parking_spaces: null,
  area_living_sqm: 100,
  area_land_sqm: 400,
  year_built: 1990,
  address: {
    street: "1 Main St",
    unit: null,
    city: "Zürich",
    state: "ZH",
    postal_code: "8001",
    country: "CH",
    full: "1 Main St, Zürich",
  },
  location: { lat: 47.37, lng: 8.54, precision: "source", approximate: false },
  listed_at: "2026-01-10T00:00:00.000Z",
  updated_at: "2026-02-01T00:00:00.000Z",
  thumbnail_url: null,
  source: { name: "example.com", url: null },
  quality_score: 0.8,
  features: ["garden", "garage"],
};
const f = (x: Partial<LiveFilters>): LiveFilters => ({ status: ["active"], ...x });

describe("live filter matching", () => {
  it("applies ranges inclusively and excludes nulls under a bound", () => {
    expect(matches(base, f({ min_price: 500_000, max_price: 500_000 }))).toBe(true);
    expect(matches(base, f({ min_price: 500_001 }))).toBe(false);
    expect(matches(base, f({ min_bedrooms: 4 }))).toBe(false);
    expect(matches({ ...base, bedrooms: null }, f({ min_bedrooms: 1 }))).toBe(false);
    expect(matches({ ...base, bedrooms: null }, f({}))).toBe(true);
    expect(matches(base, f({ year_built_min: 1991 }))).toBe(false);
  });

  it("matches lists, status default and features (all of)", () => {
    expect(matches({ ...base, status: "sold" }, f({}))).toBe(false);
    expect(matches({ ...base, status: "sold" }, f({ status: ["sold", "active"] }))).toBe(true);
    expect(matches(base, f({ property_type: ["apartment", "house"] }))).toBe(true);
    expect(matches(base, f({ property_type: ["apartment"] }))).toBe(false);
    expect(matches(base, f({ features: ["garden", "garage"] }))).toBe(true);
    expect(matches(base, f({ features: ["garden", "pool"] }))).toBe(false);
  });

  it("compares places case- and accent-insensitively and text by words", () => {
    expect(fold("  ZÜRICH ")).toBe("zurich");
    expect(matches(base, f({ city: "zurich" }))).toBe(true);
    expect(matches(base, f({ city: "Bern" }))).toBe(false);
    expect(matches(base, f({ q: "sunny LAKE" }))).toBe(true);
    expect(matches(base, f({ q: "sunny pool" }))).toBe(false);
  });

  it("filters by bbox, radius and polygon", () => {
    expect(matches(base, f({ bbox: [8.5, 47.3, 8.6, 47.4] }))).toBe(true);
    expect(matches(base, f({ bbox: [8.6, 47.3, 8.7, 47.4] }))).toBe(false);
    expect(haversineKm({ lat: 47.37, lng: 8.54 }, { lat: 47.37, lng: 8.55 })).toBeCloseTo(0.753, 2);
    expect(matches(base, f({ near: { lat: 47.37, lng: 8.55 }, radius_km: 1 }))).toBe(true);
    expect(matches(base, f({ near: { lat: 47.37, lng: 8.55 }, radius_km: 0.5 }))).toBe(false);
    const square: [number, number][] = [
      [8.5, 47.3],
      [8.6, 47.3],
      [8.6, 47.4],
      [8.5, 47.4],
    ];
    expect(matches(base, f({ polygon: square }))).toBe(true);
    expect(
      matches({ ...base, location: { lat: 47.5, lng: 8.54, precision: "source", approximate: false } }, f({ polygon: square })),
    ).toBe(false);
    expect(matches({ ...base, location: null }, f({ bbox: [8.5, 47.3, 8.6, 47.4] }))).toBe(false);
  });
});
