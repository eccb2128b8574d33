/**
 * Writes what enrichment adds after the re-scrape: gap-filled values, geocoded coordinates, the
 * bookkeeping (`enriched_at`, `source_misses`, `missing_fields`) and the history event they cause — in
 * one SQL statement, so a failure leaves nothing half-written and a retry starts clean. The re-scraped
 * listing itself has already been written through the ingest pipeline (`ingestItems`, dispatcher.ts):
 * this statement never replaces a value.
 *
 * Merge rules (as the ingest pipeline's): gap-fill and geocoding only fill what is empty; coordinates
 * are replaced only by better precision (same ranks as ingest). A price filled where there was none
 * records a `price_change` event.
 */
import type { Env } from "../../env";
import { propertiesChanged } from "../changes";
import { getSql } from "../db";
import type { ListingFields } from "./connectors";
import { KEY_FIELDS } from "./request";

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

/** The function the dispatcher submits through. */
export type SubmitEnrichment = (env: Env, write: EnrichmentWrite) => Promise<{ priceChanged: boolean }>;

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

export const submitEnrichment: SubmitEnrichment = async (env, w) => {
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
};
