/**
 * Writes an enrichment result to the property: gap-filled values, geocoded coordinates, the
 * bookkeeping (`enriched_at`, `source_misses`, `missing_fields`) and the history events they cause — in
 * one SQL statement, so a failure leaves nothing half-written and a retry starts clean. A re-scraped
 * listing that comes as an ingest item has already been written through `ingestItems` (dispatcher.ts);
 * `fresh` is only for connectors that report bare fields.
 *
 * Merge rules (as the ingest pipeline's): the owning source's fresh values replace the stored ones;
 * gap-fill and geocoding only fill what is empty; coordinates are replaced only by better precision
 * (same ranks as ingest). A price that differs from the stored one records a `price_change` event, a
 * status that differs a `status_change` event.
 */
import type { Env } from "../../env";
import { propertiesChanged } from "../changes";
import { getSql } from "../db";
import type { ListingFields } from "./connectors";
import { KEY_FIELDS } from "./request";

export type EnrichmentWrite = {
  propertyId: string;
  /** Source of the phase-1 values (for events and `property_sources.last_seen_at`). */
  source: string;
  /** Phase 1: values from the listing's own source (replace), when they were not ingested as an item. */
  fresh: ListingFields | null;
  /** Whether the source answered with the listing (resets `source_misses`, marks it seen). */
  rescraped?: boolean;
  /** Phase 2 and geocoding: values that only fill empty fields. */
  fill: ListingFields;
  /** Precision of `fill.location` / `fresh.location` ("source" for coordinates from a listing page). */
  locationPrecision: string | null;
  /** Key fields still missing afterwards. */
  missingFields: string[];
};

/** The function the dispatcher submits through; the ingest pipeline's adapter has the same shape. */
export type SubmitEnrichment = (env: Env, write: EnrichmentWrite) => Promise<{ priceChanged: boolean }>;

const SUBMIT_SQL = `
WITH old AS (
  SELECT id, price_minor, status, location_precision, (location IS NULL) AS no_location
    FROM properties WHERE id = $1 FOR UPDATE
), upd AS (
  UPDATE properties p SET
    price_minor     = CASE WHEN $2::boolean THEN $3::bigint ELSE coalesce(p.price_minor, $3::bigint) END,
    currency        = coalesce($4::char(3), p.currency),
    status          = coalesce($5::text, p.status),
    bedrooms        = CASE WHEN $6::smallint IS NOT NULL AND $7::boolean THEN $6::smallint ELSE coalesce(p.bedrooms, $6::smallint) END,
    bathrooms       = CASE WHEN $8::real IS NOT NULL AND $7::boolean THEN $8::real ELSE coalesce(p.bathrooms, $8::real) END,
    area_living_sqm = CASE WHEN $9::real IS NOT NULL AND $7::boolean THEN $9::real ELSE coalesce(p.area_living_sqm, $9::real) END,
    area_land_sqm   = coalesce(p.area_land_sqm, $10::real),
    year_built      = coalesce(p.year_built, $11::smallint),
    location        = CASE WHEN $12::float8 IS NOT NULL
                            AND (old.no_location OR $14::int > coalesce($15::int, 0))
                           THEN ST_SetSRID(ST_MakePoint($13::float8, $12::float8), 4326)::geography
                           ELSE p.location END,
    location_precision = CASE WHEN $12::float8 IS NOT NULL AND (old.no_location OR $14::int > coalesce($15::int, 0))
                              THEN $16::text ELSE p.location_precision END,
    thumbnail_url   = coalesce(p.thumbnail_url, $17::text),
    -- key fields: as found now; any other field ingest listed stays listed
    missing_fields  = ARRAY(SELECT DISTINCT f FROM unnest(array_cat(
                        ARRAY(SELECT k FROM unnest(p.missing_fields) k WHERE NOT (k = ANY($21::text[]))), $18::text[])) f ORDER BY f),
    source_misses   = CASE WHEN $7::boolean THEN 0 ELSE p.source_misses END,
    last_seen_at    = CASE WHEN $7::boolean THEN now() ELSE p.last_seen_at END,
    enriched_at     = now(),
    updated_at      = now()
  FROM old WHERE p.id = old.id
  RETURNING p.id, old.price_minor AS old_price, p.price_minor AS new_price, p.currency,
            old.status AS old_status, p.status AS new_status
), price_event AS (
  INSERT INTO property_events (property_id, type, old, new, source)
  SELECT id, 'price_change', jsonb_build_object('price_minor', old_price, 'currency', currency),
         jsonb_build_object('price_minor', new_price, 'currency', currency), $19
    FROM upd WHERE old_price IS DISTINCT FROM new_price AND new_price IS NOT NULL
  RETURNING 1
), status_event AS (
  INSERT INTO property_events (property_id, type, old, new, source)
  SELECT id, 'status_change', jsonb_build_object('status', old_status), jsonb_build_object('status', new_status), $19
    FROM upd WHERE old_status IS DISTINCT FROM new_status
  RETURNING 1
), images AS (
  INSERT INTO property_images (property_id, url, position, source)
  SELECT $1, u.url, u.pos - 1, $19 FROM unnest($20::text[]) WITH ORDINALITY AS u(url, pos)
  ON CONFLICT (property_id, url) DO NOTHING
  RETURNING 1
), seen AS (
  UPDATE property_sources SET last_seen_at = now()
   WHERE property_id = $1 AND source = $19 AND $7::boolean
  RETURNING 1
)
SELECT (SELECT count(*) FROM price_event)::int AS price_events,
       (SELECT count(*) FROM upd)::int AS updated,
       (SELECT count(*) FROM images)::int AS images, (SELECT count(*) FROM seen)::int AS seen,
       (SELECT count(*) FROM status_event)::int AS status_events`;

/** Same order as the ingest pipeline's: a listing's own point beats a street match, a rooftop beats both. */
const RANK: Record<string, number> = { locality: 1, postcode: 2, street: 3, source: 4, rooftop: 5 };

export const submitEnrichment: SubmitEnrichment = async (env, w) => {
  const fresh = w.fresh;
  const pick = <K extends keyof ListingFields>(k: K): ListingFields[K] | undefined =>
    fresh?.[k] !== undefined && fresh?.[k] !== null ? fresh[k] : w.fill[k];
  const location = pick("location") ?? null;
  const images = [...(fresh?.images ?? []), ...(w.fill.images ?? [])];
  const [existing] = (await getSql(env).query("SELECT location_precision FROM properties WHERE id = $1", [w.propertyId])) as {
    location_precision: string | null;
  }[];
  const rows = (await getSql(env).query(SUBMIT_SQL, [
    w.propertyId,
    fresh?.price_minor !== undefined && fresh.price_minor !== null,
    pick("price_minor") ?? null,
    pick("currency") ?? null,
    fresh?.status ?? null,
    pick("bedrooms") ?? null,
    fresh !== null || w.rescraped === true,
    pick("bathrooms") ?? null,
    pick("area_living_sqm") ?? null,
    pick("area_land_sqm") ?? null,
    pick("year_built") ?? null,
    location?.lat ?? null,
    location?.lng ?? null,
    RANK[w.locationPrecision ?? ""] ?? 0,
    RANK[existing?.location_precision ?? ""] ?? null,
    w.locationPrecision,
    images[0] ?? null,
    w.missingFields,
    w.source,
    images,
    KEY_FIELDS,
  ])) as { price_events: number; updated: number }[];
  if ((rows[0]?.updated ?? 0) > 0) await propertiesChanged(env, [{ id: w.propertyId, outcome: "merged" }]);
  return { priceChanged: (rows[0]?.price_events ?? 0) > 0 };
};
