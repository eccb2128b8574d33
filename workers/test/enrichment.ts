/**
 * Test support for the enrichment loop: small but real connectors that read listing pages served by
 * the fixture web server (JSON-LD, like many real sites) and hand the re-scraped listing to the ingest
 * pipeline as an item, and a helper that stores a property and its source row directly.
 */
import { parseHTML } from "linkedom";
import { getSql } from "../src/pkg/db";
import type { EnrichmentConnector, EnrichmentRequest, ListingFields } from "../src/pkg/enrichment";
import { testEnv } from "./helpers";

export type PageListing = {
  price?: number;
  currency?: string;
  bedrooms?: number;
  bathrooms?: number;
  floorArea?: number;
  images?: string[];
  lat?: number;
  lng?: number;
};

/** A listing page with schema.org JSON-LD, the structure the test connectors read. */
export function listingPage(l: PageListing): string {
  const data = {
    "@context": "https://schema.org",
    "@type": "SingleFamilyResidence",
    numberOfBedrooms: l.bedrooms,
    numberOfBathroomsTotal: l.bathrooms,
    floorSize: l.floorArea === undefined ? undefined : { "@type": "QuantitativeValue", value: l.floorArea, unitCode: "MTK" },
    image: l.images,
    geo: l.lat === undefined ? undefined : { "@type": "GeoCoordinates", latitude: l.lat, longitude: l.lng },
    offers: l.price === undefined ? undefined : { "@type": "Offer", price: l.price, priceCurrency: l.currency ?? "AUD" },
  };
  return `<!doctype html><html><head><title>Listing</title><script type="application/ld+json">${JSON.stringify(
    data,
  )}</script></head><body><h1>For sale</h1></body></html>`;
}

function readListing(html: string): ListingFields {
  const { document } = parseHTML(html);
  const script = document.querySelector('script[type="application/ld+json"]');
  const d = JSON.parse(script?.textContent ?? "{}");
  const fields: ListingFields = {};
  if (d.offers?.price !== undefined) {
    fields.price_minor = Math.round(Number(d.offers.price) * 100);
    fields.currency = d.offers.priceCurrency;
  }
  if (d.numberOfBedrooms !== undefined) fields.bedrooms = Number(d.numberOfBedrooms);
  if (d.numberOfBathroomsTotal !== undefined) fields.bathrooms = Number(d.numberOfBathroomsTotal);
  if (d.floorSize?.value !== undefined) fields.area_living_sqm = Number(d.floorSize.value);
  if (Array.isArray(d.image)) fields.images = d.image;
  if (d.geo?.latitude !== undefined) fields.location = { lat: Number(d.geo.latitude), lng: Number(d.geo.longitude) };
  return fields;
}

/** A connector owning every page under `base`: re-scrapes them; 404/410 means gone; 5xx throws. */
export function pageConnector(source: string, country: string, base: string): EnrichmentConnector {
  return {
    source,
    country,
    ownsUrl: (url) => url.startsWith(`${base}/`),
    async enrich(req) {
      if (!req.source_url.startsWith(`${base}/`)) return { kind: "not_mine" };
      const res = await fetch(req.source_url, { headers: { "User-Agent": "PillowBot/0.1 (test)" } });
      if (res.status === 404 || res.status === 410) {
        await res.body?.cancel();
        return { kind: "gone" };
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`${source} answered HTTP ${res.status}`);
      }
      const fields = readListing(await res.text());
      return { kind: "found", fields, item: listingItem(source, req, fields) };
    },
  };
}

/**
 * The page as an ingest item, as a real connector submits it: the listing's identity (`insertProperty`
 * stores the property id as its source listing id) with a public URL (ingest refuses loopback ones, as
 * real connectors map fixture URLs to their site's), the request's city and country, the page's values.
 */
export function listingItem(source: string, req: EnrichmentRequest, f: ListingFields): Record<string, unknown> {
  return {
    source,
    source_listing_id: req.property_id,
    source_url: `https://${source}.example${new URL(req.source_url).pathname}`,
    address: { city: req.city, country: req.country },
    price: f.price_minor == null ? undefined : f.price_minor / 100,
    currency: f.currency,
    bedrooms: f.bedrooms,
    bathrooms: f.bathrooms,
    area_living_sqm: f.area_living_sqm,
    location: f.location,
    images: f.images,
  };
}

export const addressSlug = (address: string) =>
  address
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** A connector that finds listings by address at `${base}/by-address/<slug>` (404 = no match). */
export function addressSearchConnector(source: string, country: string, base: string): EnrichmentConnector {
  return {
    source,
    country,
    ownsUrl: (url) => url.startsWith(`${base}/`),
    async searchByAddress(q) {
      const res = await fetch(`${base}/by-address/${addressSlug(q.address)}`);
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) throw new Error(`${source} search answered HTTP ${res.status}`);
      return readListing(await res.text());
    },
  };
}

/** A connector whose site never answers properly: every re-scrape throws. */
export function failingConnector(source: string, country: string): EnrichmentConnector {
  return {
    source,
    country,
    ownsUrl: () => false,
    async enrich() {
      throw new Error(`${source}: upstream timed out`);
    },
  };
}

export type TestProperty = {
  source: string;
  sourceUrl?: string;
  status?: string;
  country?: string;
  city: string;
  street?: string;
  postalCode?: string;
  state?: string;
  priceMinor?: number | null;
  currency?: string;
  bedrooms?: number | null;
  bathrooms?: number | null;
  areaLivingSqm?: number | null;
  location?: { lat: number; lng: number } | null;
  thumbnailUrl?: string | null;
  lastSeenDaysAgo?: number;
  queuedHoursAgo?: number | null;
  listedDaysAgo?: number;
};

/** Stores a property and its source row; returns the property id. */
export async function insertProperty(p: TestProperty): Promise<string> {
  const sql = getSql(testEnv);
  const rows = (await sql.query(
    `INSERT INTO properties (primary_source, status, country, city, street, state, postal_code, address_full, price_minor,
                             currency, bedrooms, bathrooms, area_living_sqm, location, location_precision, thumbnail_url,
                             last_seen_at, enrichment_queued_at, listed_at)
     VALUES ($1, $2, $3, $4::text, $5::text, $6::text, $7::text, concat_ws(', ', $5::text, $4::text, concat_ws(' ', $6::text, $7::text)), $8, $9, $10, $11, $12,
             CASE WHEN $13::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($14, $13), 4326)::geography END,
             CASE WHEN $13::float8 IS NULL THEN NULL ELSE 'source' END, $15,
             now() - make_interval(days => $16::int), CASE WHEN $17::float8 IS NULL THEN NULL ELSE now() - make_interval(secs => $17 * 3600) END,
             now() - make_interval(days => $18::int))
     RETURNING id`,
    [
      p.source,
      p.status ?? "active",
      p.country ?? "AU",
      p.city,
      p.street ?? null,
      p.state ?? null,
      p.postalCode ?? null,
      p.priceMinor === undefined ? 50_000_000 : p.priceMinor,
      p.currency ?? "AUD",
      p.bedrooms === undefined ? 3 : p.bedrooms,
      p.bathrooms === undefined ? 2 : p.bathrooms,
      p.areaLivingSqm === undefined ? 120 : p.areaLivingSqm,
      p.location === undefined ? -37.8 : (p.location?.lat ?? null),
      p.location === undefined ? 144.9 : (p.location?.lng ?? null),
      p.thumbnailUrl === undefined ? "https://img.example/thumb.jpg" : p.thumbnailUrl,
      p.lastSeenDaysAgo ?? 0,
      p.queuedHoursAgo ?? null,
      p.listedDaysAgo ?? 1,
    ],
  )) as { id: string }[];
  const id = (rows[0] as { id: string }).id;
  if (p.sourceUrl !== undefined) {
    await sql.query(
      `INSERT INTO property_sources (property_id, source, source_listing_id, source_url, payload_hash)
       VALUES ($1, $2, $3, $4, 'test')`,
      [id, p.source, id, p.sourceUrl],
    );
  }
  return id;
}

export async function propertyRow(id: string) {
  const rows = (await getSql(testEnv).query(
    `SELECT id, status, price_minor::float8 AS price_minor, currency, bedrooms, bathrooms, area_living_sqm, source_misses,
            missing_fields, location_precision, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lng,
            thumbnail_url, enrichment_queued_at, enriched_at, updated_at, last_seen_at
       FROM properties WHERE id = $1`,
    [id],
  )) as Record<string, unknown>[];
  return rows[0] as Record<string, unknown>;
}

export async function eventsOf(id: string) {
  return (await getSql(testEnv).query("SELECT type, old, new, source FROM property_events WHERE property_id = $1 ORDER BY id", [
    id,
  ])) as { type: string; old: Record<string, unknown>; new: Record<string, unknown>; source: string }[];
}
