/**
 * Live-update filters: the search filters of GET /api/v1/properties, parsed once in the route and
 * evaluated in memory by the LiveHub against each changed property. Semantics follow the SQL search:
 * a filter on a field the property lacks (null) excludes it; lists are "any of", features "all of".
 */
import type { LiveItem } from "./item";

export type LiveFilters = {
  property_type?: string[];
  listing_type?: string[];
  status: string[];
  min_price?: number;
  max_price?: number;
  min_bedrooms?: number;
  max_bedrooms?: number;
  min_bathrooms?: number;
  min_area?: number;
  max_area?: number;
  min_land_area?: number;
  year_built_min?: number;
  year_built_max?: number;
  city?: string;
  state?: string;
  postal_code?: string;
  country?: string;
  source?: string[];
  features?: string[];
  q?: string;
  listed_since?: string;
  updated_since?: string;
  /** [minLng, minLat, maxLng, maxLat] */
  bbox?: [number, number, number, number];
  near?: { lat: number; lng: number };
  radius_km?: number;
  /** Ring of [lng, lat] points. */
  polygon?: [number, number][];
};

/** Lower case without accents, as the search's `lower(f_unaccent(city))`. */
export function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
}

const atLeast = (v: number | null, min: number | undefined) => min === undefined || (v !== null && v >= min);
const atMost = (v: number | null, max: number | undefined) => max === undefined || (v !== null && v <= max);
const oneOf = (v: string | null, list: string[] | undefined) => !list?.length || (v !== null && list.includes(v));
const same = (v: string | null, want: string | undefined) => want === undefined || (v !== null && fold(v) === fold(want));

export function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

function insidePolygon(lng: number, lat: number, ring: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function matches(item: LiveItem, f: LiveFilters): boolean {
  if (!oneOf(item.status, f.status)) return false;
  if (!oneOf(item.property_type, f.property_type) || !oneOf(item.listing_type, f.listing_type)) return false;
  if (!atLeast(item.price, f.min_price) || !atMost(item.price, f.max_price)) return false;
  if (!atLeast(item.bedrooms, f.min_bedrooms) || !atMost(item.bedrooms, f.max_bedrooms)) return false;
  if (!atLeast(item.bathrooms, f.min_bathrooms)) return false;
  if (!atLeast(item.area_living_sqm, f.min_area) || !atMost(item.area_living_sqm, f.max_area)) return false;
  if (!atLeast(item.area_land_sqm, f.min_land_area)) return false;
  if (!atLeast(item.year_built, f.year_built_min) || !atMost(item.year_built, f.year_built_max)) return false;
  const a = item.address;
  if (!same(a.city, f.city) || !same(a.state, f.state) || !same(a.postal_code, f.postal_code) || !same(a.country, f.country))
    return false;
  if (!oneOf(item.source.name, f.source)) return false;
  if (f.features?.length && !f.features.every((x) => item.features.includes(x))) return false;
  if (f.listed_since && item.listed_at < f.listed_since) return false;
  if (f.updated_since && item.updated_at < f.updated_since) return false;
  if (f.q) {
    const text = fold([item.title, a.full, a.street, a.city, a.postal_code, item.description].filter(Boolean).join(" "));
    if (
      !fold(f.q)
        .split(/\s+/)
        .filter(Boolean)
        .every((word) => text.includes(word))
    )
      return false;
  }
  const loc = item.location;
  if (f.bbox || f.near || f.polygon) {
    if (!loc) return false;
    if (f.bbox) {
      const [minLng, minLat, maxLng, maxLat] = f.bbox;
      if (loc.lng < minLng || loc.lng > maxLng || loc.lat < minLat || loc.lat > maxLat) return false;
    }
    if (f.near && f.radius_km !== undefined && haversineKm(f.near, loc) > f.radius_km) return false;
    if (f.polygon && !insidePolygon(loc.lng, loc.lat, f.polygon)) return false;
  }
  return true;
}
