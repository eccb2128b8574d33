/** Database rows → the API's property item (prices from minor to whole units, address and location nested). */
import { pricePerSqmMajor, toMajor } from "../../../pkg/search/money";
import { type LocationPrecision, locationOf } from "./location";
import type { Property } from "./schema";

export type ItemRow = {
  id: string;
  title: string | null;
  property_type: string;
  listing_type: string;
  status: string;
  price_minor: string | number | null;
  currency: string;
  price_per_sqm: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  parking_spaces: number | null;
  area_living_sqm: number | null;
  area_land_sqm: number | null;
  year_built: number | null;
  street: string | null;
  unit: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string;
  address_full: string | null;
  lat: number | null;
  lng: number | null;
  location_precision: LocationPrecision | null;
  listed_at: Date | string;
  updated_at: Date | string;
  thumbnail_url: string | null;
  primary_source: string;
  source_url: string | null;
  quality_score: number;
  _distance_m?: number | string | null;
};

export const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const nullableRound = (n: number | null, digits: number) => (n === null ? null : round(n, digits));

function fullAddress(r: ItemRow): string | null {
  if (r.address_full) return r.address_full;
  const street = [r.unit, r.street].filter(Boolean).join(" ");
  const parts = [street, r.city, [r.state, r.postal_code].filter(Boolean).join(" "), r.country].filter(Boolean);
  return parts.length > 1 ? parts.join(", ") : null;
}

export function toPropertyItem(r: ItemRow): Property {
  const item: Property = {
    id: r.id,
    title: r.title,
    property_type: r.property_type,
    listing_type: r.listing_type,
    status: r.status,
    price: toMajor(r.price_minor, r.currency),
    currency: r.currency.trim(),
    price_per_sqm: nullableRound(pricePerSqmMajor(r.price_per_sqm, r.currency), 2),
    bedrooms: r.bedrooms,
    bathrooms: r.bathrooms,
    parking_spaces: r.parking_spaces,
    area_living_sqm: r.area_living_sqm,
    area_land_sqm: r.area_land_sqm,
    year_built: r.year_built,
    address: {
      street: r.street,
      unit: r.unit,
      city: r.city,
      state: r.state,
      postal_code: r.postal_code,
      country: r.country.trim(),
      full: fullAddress(r),
    },
    location: locationOf(r.lat, r.lng, r.location_precision),
    listed_at: iso(r.listed_at),
    updated_at: iso(r.updated_at),
    thumbnail_url: r.thumbnail_url,
    source: { name: r.primary_source, url: r.source_url },
    quality_score: r.quality_score,
  };
  if (r._distance_m !== undefined && r._distance_m !== null) item.distance_km = round(Number(r._distance_m) / 1000, 3);
  return item;
}

export function pickFields(item: Property, fields: string[] | undefined): Partial<Property> {
  if (!fields) return item;
  return Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f as keyof Property]]));
}
