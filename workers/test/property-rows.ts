/**
 * Test data for the read API: inserts properties straight into the database (the way an importer
 * would), with defaults for every column a test does not care about. Give each test file its own
 * `unique()` city or source so its assertions see only its rows.
 */
import { getSql } from "../src/pkg/db";
import { minorUnitDigits } from "../src/pkg/search/money";
import { testEnv } from "./helpers";

export type PropertyRow = {
  title?: string;
  description?: string | null;
  primary_source?: string;
  property_type?: string;
  listing_type?: string;
  status?: string;
  street?: string | null;
  unit?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  country?: string;
  lat?: number | null;
  lng?: number | null;
  bedrooms?: number | null;
  bathrooms?: number | null;
  parking_spaces?: number | null;
  area_living_sqm?: number | null;
  area_land_sqm?: number | null;
  year_built?: number | null;
  /** Whole currency units, like the API (stored in the currency's minor units). */
  price?: number | null;
  currency?: string;
  listed_at?: string;
  updated_at?: string;
  sold_at?: string | null;
  features?: string[];
  attributes?: Record<string, unknown>;
  thumbnail_url?: string | null;
  quality_score?: number;
};

const DEFAULTS: Required<PropertyRow> = {
  title: "Test property",
  description: null,
  primary_source: "test-source",
  property_type: "house",
  listing_type: "sale",
  status: "active",
  street: "1 Test Street",
  unit: null,
  city: "Testville",
  state: "CA",
  postal_code: "90000",
  country: "US",
  lat: null,
  lng: null,
  bedrooms: 3,
  bathrooms: 2,
  parking_spaces: null,
  area_living_sqm: 100,
  area_land_sqm: null,
  year_built: 2000,
  price: 500000,
  currency: "USD",
  listed_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-02T00:00:00Z",
  sold_at: null,
  features: [],
  attributes: {},
  thumbnail_url: null,
  quality_score: 0.5,
};

/** Inserts the rows and returns their ids, in the same order. */
export async function insertProperties(rows: PropertyRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const full = rows.map((r, i) => {
    const row = { ...DEFAULTS, ...r };
    const scale = 10 ** minorUnitDigits(row.currency);
    return { ...row, ord: i, price_minor: row.price === null ? null : Math.round(row.price * scale) };
  });
  const inserted = (await getSql(testEnv).query(
    `INSERT INTO properties (primary_source, property_type, listing_type, status, title, description, street, unit, city, state,
        postal_code, country, location, bedrooms, bathrooms, parking_spaces, area_living_sqm, area_land_sqm, year_built,
        price_minor, currency, listed_at, updated_at, sold_at, features, attributes, thumbnail_url, quality_score)
     SELECT r.primary_source, r.property_type, r.listing_type, r.status, r.title, r.description, r.street, r.unit, r.city, r.state,
        r.postal_code, r.country,
        CASE WHEN r.lat IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)::geography END,
        r.bedrooms, r.bathrooms, r.parking_spaces, r.area_living_sqm, r.area_land_sqm, r.year_built,
        r.price_minor, r.currency, r.listed_at, r.updated_at, r.sold_at,
        ARRAY(SELECT jsonb_array_elements_text(r.features)), r.attributes, r.thumbnail_url, r.quality_score
       FROM jsonb_to_recordset($1::jsonb) AS r(ord int, primary_source text, property_type text, listing_type text, status text,
        title text, description text, street text, unit text, city text, state text, postal_code text, country text,
        lat float8, lng float8, bedrooms smallint, bathrooms real, parking_spaces smallint, area_living_sqm real,
        area_land_sqm real, year_built smallint, price_minor bigint, currency text, listed_at timestamptz,
        updated_at timestamptz, sold_at timestamptz, features jsonb, attributes jsonb, thumbnail_url text, quality_score real)
      ORDER BY r.ord
     RETURNING id`,
    [JSON.stringify(full)],
  )) as Array<{ id: string }>;
  return inserted.map((r) => r.id);
}

export async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await getSql(testEnv).query(text, values)) as unknown as T[];
}

type Page = {
  success: boolean;
  data: Array<Record<string, unknown>>;
  pagination: { next_cursor: string | null; total?: number };
};

/** GET a search and return its JSON (fails the test on a non-200). */
export async function search(query: string): Promise<Page> {
  const { call } = await import("./helpers");
  const res = await call(`/api/v1/properties?${query}`);
  if (res.status !== 200) throw new Error(`search ${query} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as Page;
}

/** Every id of a search, walking all pages by cursor. */
export async function walkIds(query: string, onPage?: (page: number) => Promise<void>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const body: Page = await search(cursor ? `${query}&cursor=${encodeURIComponent(cursor)}` : query);
    ids.push(...body.data.map((d) => d.id as string));
    await onPage?.(page);
    cursor = body.pagination.next_cursor;
    if (!cursor) return ids;
  }
  throw new Error("more than 1000 pages");
}
