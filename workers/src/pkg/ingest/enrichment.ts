/**
 * The ingest module's writes for the enrichment loop (pkg/enrichment/dispatcher.ts), which itself
 * writes nothing: the re-scraped listing goes through `ingestItems` like every listing; what is left is
 * written here, and, like every write of this module, announced through `propertiesChanged` (live
 * updates, saved-search matching, cache generations).
 *
 * `recordEnrichment` writes what enrichment adds after the re-scrape: gap-filled values, geocoded
 * coordinates, the bookkeeping (`enriched_at`, `source_misses`, `missing_fields`) and the history event
 * they cause — in one SQL statement, so a failure leaves nothing half-written and a retry starts clean.
 * It never replaces a value. `recordSourceMiss` counts a listing gone at its source. `enrichmentTarget`
 * reads what the dispatcher decides on, so the dispatcher holds no SQL.
 *
 * Merge rules (as the ingest pipeline's): gap-fill and geocoding only fill what is empty; coordinates
 * are replaced only by better precision (same ranks as ingest). A price filled where there was none
 * records a `price_change` event.
 */

import { KEY_FIELDS } from "../../../../connectors/contract/enrichment";
import type { Env } from "../../env";
import { propertiesChanged } from "../changes";
import { getSql } from "../db";

/**
 * Fields a connector reports for a listing (all optional: a page shows what it shows): what an address
 * search fills in, and what a re-scrape provided (so those fields are no longer missing).
 */
export type ListingFields = {
  price_minor?: number | null;
  currency?: string;
  bedrooms?: number | null;
  bathrooms?: number | null;
  area_living_sqm?: number | null;
  area_land_sqm?: number | null;
  year_built?: number | null;
  location?: { lat: number; lng: number } | null;
  images?: string[];
};

export type EnrichmentWrite = {
  propertyId: string;
  /** Source of the listing (for events and `property_sources.last_seen_at`). */
  source: string;
  /** Whether the source answered with the listing (resets `source_misses`, marks it seen). */
  rescraped?: boolean;
  /** Phase 2 and geocoding: values that only fill empty fields. */
  fill: ListingFields;
  /** Precision of `fill.location` ("source" for coordinates from a listing page). */
  locationPrecision: string | null;
  /** Key fields still missing afterwards. */
  missingFields: string[];
};

const SUBMIT_SQL = `
WITH old AS (
  SELECT id, price_minor, location_precision, (location IS NULL) AS no_location
    FROM properties WHERE id = $1 FOR UPDATE
), upd AS (
  UPDATE properties p SET
    price_minor     = coalesce(p.price_minor, $2::bigint),
    currency        = CASE WHEN p.price_minor IS NULL THEN coalesce($3::char(3), p.currency) ELSE p.currency END,
    bedrooms        = coalesce(p.bedrooms, $4::smallint),
    bathrooms       = coalesce(p.bathrooms, $5::real),
    area_living_sqm = coalesce(p.area_living_sqm, $6::real),
    area_land_sqm   = coalesce(p.area_land_sqm, $7::real),
    year_built      = coalesce(p.year_built, $8::smallint),
    location        = CASE WHEN $9::float8 IS NOT NULL
                            AND (old.no_location OR $11::int > coalesce($12::int, 0))
                           THEN ST_SetSRID(ST_MakePoint($10::float8, $9::float8), 4326)::geography
                           ELSE p.location END,
    location_precision = CASE WHEN $9::float8 IS NOT NULL AND (old.no_location OR $11::int > coalesce($12::int, 0))
                              THEN $13::text ELSE p.location_precision END,
    thumbnail_url   = coalesce(p.thumbnail_url, $14::text),
    -- key fields: as found now; any other field ingest listed stays listed
    missing_fields  = ARRAY(SELECT DISTINCT f FROM unnest(array_cat(
                        ARRAY(SELECT k FROM unnest(p.missing_fields) k WHERE NOT (k = ANY($18::text[]))), $15::text[])) f ORDER BY f),
    source_misses   = CASE WHEN $19::boolean THEN 0 ELSE p.source_misses END,
    last_seen_at    = CASE WHEN $19::boolean THEN now() ELSE p.last_seen_at END,
    enriched_at     = now(),
    updated_at      = now()
  FROM old WHERE p.id = old.id
  RETURNING p.id, old.price_minor AS old_price, p.price_minor AS new_price, p.currency
), price_event AS (
  INSERT INTO property_events (property_id, type, old, new, source)
  SELECT id, 'price_change', jsonb_build_object('price_minor', old_price, 'currency', currency),
         jsonb_build_object('price_minor', new_price, 'currency', currency), $16
    FROM upd WHERE old_price IS DISTINCT FROM new_price AND new_price IS NOT NULL
  RETURNING 1
), images AS (
  INSERT INTO property_images (property_id, url, position, source)
  SELECT $1, u.url, u.pos - 1, $16 FROM unnest($17::text[]) WITH ORDINALITY AS u(url, pos)
  ON CONFLICT (property_id, url) DO NOTHING
  RETURNING 1
), seen AS (
  UPDATE property_sources SET last_seen_at = now()
   WHERE property_id = $1 AND source = $16 AND $19::boolean
  RETURNING 1
)
SELECT (SELECT count(*) FROM price_event)::int AS price_events,
       (SELECT count(*) FROM upd)::int AS updated,
       (SELECT count(*) FROM images)::int AS images, (SELECT count(*) FROM seen)::int AS seen`;

/** Same order as the ingest pipeline's: a listing's own point beats a street match, a rooftop beats both. */
const RANK: Record<string, number> = { locality: 1, postcode: 2, street: 3, source: 4, rooftop: 5 };

export async function recordEnrichment(env: Env, w: EnrichmentWrite): Promise<{ priceChanged: boolean }> {
  const fill = w.fill;
  const images = fill.images ?? [];
  const [existing] = (await getSql(env).query("SELECT location_precision FROM properties WHERE id = $1", [w.propertyId])) as {
    location_precision: string | null;
  }[];
  const rows = (await getSql(env).query(SUBMIT_SQL, [
    w.propertyId,
    fill.price_minor ?? null,
    fill.currency ?? null,
    fill.bedrooms ?? null,
    fill.bathrooms ?? null,
    fill.area_living_sqm ?? null,
    fill.area_land_sqm ?? null,
    fill.year_built ?? null,
    fill.location?.lat ?? null,
    fill.location?.lng ?? null,
    RANK[w.locationPrecision ?? ""] ?? 0,
    RANK[existing?.location_precision ?? ""] ?? null,
    w.locationPrecision,
    images[0] ?? null,
    w.missingFields,
    w.source,
    images,
    KEY_FIELDS,
    w.rescraped === true,
  ])) as { price_events: number; updated: number }[];
  if ((rows[0]?.updated ?? 0) > 0) await propertiesChanged(env, [{ id: w.propertyId, outcome: "merged" }]);
  return { priceChanged: (rows[0]?.price_events ?? 0) > 0 };
}

const SOURCE_MISS_SQL = `
WITH upd AS (
  UPDATE properties p
     SET source_misses = p.source_misses + 1,
         status = CASE WHEN p.source_misses + 1 >= $3 AND p.status = 'active' THEN 'off_market' ELSE p.status END,
         enriched_at = now(), updated_at = now()
    FROM (SELECT id, status FROM properties WHERE id = $1 FOR UPDATE) old
   WHERE p.id = old.id AND (p.enriched_at IS NULL OR p.enriched_at < $2::timestamptz)
  RETURNING p.id, old.status AS old_status, p.status AS new_status
), ev AS (
  INSERT INTO property_events (property_id, type, old, new, source)
  SELECT id, 'status_change', jsonb_build_object('status', old_status), jsonb_build_object('status', new_status), $4
    FROM upd WHERE old_status IS DISTINCT FROM new_status
  RETURNING 1
)
SELECT (SELECT count(*) FROM ev)::int AS status_changes`;

/**
 * A listing gone at its source: one more miss, and `off_market` once the misses reach `offMarketAfter`.
 * A request handled already (the property's `enriched_at` is past `queuedAt`) changes nothing.
 */
export async function recordSourceMiss(
  env: Env,
  miss: { propertyId: string; queuedAt: string; offMarketAfter: number; source: string },
): Promise<void> {
  const rows = (await getSql(env).query(SOURCE_MISS_SQL, [miss.propertyId, miss.queuedAt, miss.offMarketAfter, miss.source])) as {
    status_changes: number;
  }[];
  if ((rows[0]?.status_changes ?? 0) > 0) await propertiesChanged(env, [{ id: miss.propertyId, outcome: "merged" }]);
}

/** What the dispatcher needs to know of a property before enriching it. */
export type EnrichmentTarget = {
  id: string;
  status: string;
  has_location: boolean;
  bedrooms: number | null;
  bathrooms: number | null;
  area_living_sqm: number | null;
  price_minor: number | null;
  has_images: boolean;
  /** Enriched after the request was queued: a redelivery, to acknowledge without work. */
  handled: boolean;
};

/** The property a request is about, or undefined when it no longer exists. */
export async function enrichmentTarget(env: Env, propertyId: string, queuedAt: string): Promise<EnrichmentTarget | undefined> {
  const rows = (await getSql(env).query(
    `SELECT id, status, location IS NOT NULL AS has_location, bedrooms, bathrooms, area_living_sqm, price_minor,
            (thumbnail_url IS NOT NULL OR EXISTS (SELECT 1 FROM property_images i WHERE i.property_id = p.id)) AS has_images,
            (enriched_at IS NOT NULL AND enriched_at >= $2::timestamptz) AS handled
       FROM properties p WHERE id = $1`,
    [propertyId, queuedAt],
  )) as EnrichmentTarget[];
  return rows[0];
}
