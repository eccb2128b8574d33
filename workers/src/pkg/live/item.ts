/**
 * The property as live subscribers receive it: the search item's fields (same names as
 * GET /api/v1/properties), plus `features` and `description` for matching. Loaded for all changed ids
 * in one query.
 */
import type { Env } from "../../env";
import { getSql } from "../db";

export type LiveItem = {
  id: string;
  title: string | null;
  description: string | null;
  property_type: string;
  listing_type: string;
  status: string;
  price: number | null;
  currency: string;
  price_per_sqm: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  parking_spaces: number | null;
  area_living_sqm: number | null;
  area_land_sqm: number | null;
  year_built: number | null;
  address: {
    street: string | null;
    unit: string | null;
    city: string | null;
    state: string | null;
    postal_code: string | null;
    country: string;
    full: string | null;
  };
  location: { lat: number; lng: number } | null;
  listed_at: string;
  updated_at: string;
  thumbnail_url: string | null;
  source: { name: string; url: string | null };
  quality_score: number;
  features: string[];
};

type Row = Record<string, unknown>;
const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

export async function loadLiveItems(env: Env, ids: string[]): Promise<LiveItem[]> {
  if (ids.length === 0) return [];
  const rows = (await getSql(env).query(
    `SELECT p.id, p.title, left(p.description, 2000) AS description, p.property_type, p.listing_type, p.status,
            p.price_minor, p.currency, p.price_per_sqm, p.bedrooms, p.bathrooms, p.parking_spaces,
            p.area_living_sqm, p.area_land_sqm, p.year_built, p.street, p.unit, p.city, p.state, p.postal_code,
            p.country, p.address_full, ST_Y(p.location::geometry) AS lat, ST_X(p.location::geometry) AS lng,
            p.listed_at, p.updated_at, p.thumbnail_url, p.primary_source, p.quality_score, p.features,
            (SELECT ps.source_url FROM property_sources ps
              WHERE ps.property_id = p.id AND ps.source = p.primary_source ORDER BY ps.last_seen_at DESC LIMIT 1) AS source_url
       FROM properties p WHERE p.id = ANY($1::uuid[])`,
    [ids],
  )) as Row[];
  return rows.map((r) => ({
    id: String(r.id),
    title: s(r.title),
    description: s(r.description),
    property_type: String(r.property_type),
    listing_type: String(r.listing_type),
    status: String(r.status),
    price: r.price_minor === null ? null : Number(r.price_minor) / 100,
    currency: String(r.currency),
    price_per_sqm: n(r.price_per_sqm),
    bedrooms: n(r.bedrooms),
    bathrooms: n(r.bathrooms),
    parking_spaces: n(r.parking_spaces),
    area_living_sqm: n(r.area_living_sqm),
    area_land_sqm: n(r.area_land_sqm),
    year_built: n(r.year_built),
    address: {
      street: s(r.street),
      unit: s(r.unit),
      city: s(r.city),
      state: s(r.state),
      postal_code: s(r.postal_code),
      country: String(r.country),
      full: s(r.address_full),
    },
    location: r.lat === null || r.lng === null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
    listed_at: iso(r.listed_at),
    updated_at: iso(r.updated_at),
    thumbnail_url: s(r.thumbnail_url),
    source: { name: String(r.primary_source), url: s(r.source_url) },
    quality_score: Number(r.quality_score ?? 0),
    features: Array.isArray(r.features) ? (r.features as string[]) : [],
  }));
}
