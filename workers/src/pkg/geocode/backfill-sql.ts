/**
 * The gazetteer backfill's statements (docs/geocoding.md "Gazetteer backfill"): every property without a
 * location that has a postcode or a locality the offline gazetteer knows gets that place's centroid, with
 * the precision it has. Set-based: one UPDATE per precision for all countries, most precise first, each
 * touching only rows still without a location (`properties_unlocated_idx`, migration 0011), so running
 * them again changes nothing and a better point written meanwhile (ingest, enrichment) is never replaced.
 *
 * No imports: the Worker (hourly cron) and `npm start` (right after the demo load, over a Node driver) run
 * the same text.
 */

/** The point written; `updated_at` moves, as for any change of the record. */
const SET = `location = ST_SetSRID(ST_MakePoint(m.lng, m.lat), 4326)::geography,
       location_precision = m.precision, updated_at = now()`;

/** `$1`: null for every property (the cron, `npm start`), or only these ids (tests, which share one database). */
const ONLY = "($1::uuid[] IS NULL OR p.id = ANY($1::uuid[]))";

/** Writes the matches `m` and answers how many rows it located. */
const UPDATE = `, done AS (
  UPDATE properties p SET ${SET} FROM m WHERE p.id = m.id AND p.location IS NULL RETURNING 1)
SELECT count(*)::int AS located FROM done`;

/** Properties still without a location and with a postcode, their gazetteer key beside them. */
const WITH_POSTCODE = `SELECT p.id, p.country, p.city_key, gazetteer_postcode_key(p.country, p.postal_code) AS pc
    FROM properties p
   WHERE p.location IS NULL AND p.postal_code IS NOT NULL AND ${ONLY}`;

export type BackfillStep = { precision: "postcode" | "locality"; name: string; sql: string };

export const BACKFILL_STEPS: BackfillStep[] = [
  {
    // The place the property names within its postcode (GB: a place in the postcode district).
    precision: "postcode",
    name: "postcode_and_locality",
    sql: `WITH m AS (
  SELECT u.id, avg(g.lat) AS lat, avg(g.lng) AS lng, 'postcode' AS precision
    FROM (${WITH_POSTCODE}) u
    JOIN gazetteer_places g ON g.country = u.country AND g.postal_code = u.pc AND g.locality_key = u.city_key
   GROUP BY u.id)${UPDATE}`,
  },
  {
    // The postcode's centroid (the mean of its places).
    precision: "postcode",
    name: "postcode",
    sql: `WITH m AS (
  SELECT u.id, avg(g.lat) AS lat, avg(g.lng) AS lng, 'postcode' AS precision
    FROM (${WITH_POSTCODE}) u
    JOIN gazetteer_places g ON g.country = u.country AND g.postal_code = u.pc
   GROUP BY u.id)${UPDATE}`,
  },
  {
    // The locality's centroid, only when the name is one place: within the property's state where it names
    // one the gazetteer knows, else in the whole country. A name found in several regions, or whose places
    // lie further apart than a city spreads (about 55 km: GB's "Horsley" is four villages in England), is
    // several places and left alone.
    precision: "locality",
    name: "locality",
    sql: `WITH c AS (
  SELECT p.id, g.region, g.lat, g.lng,
         coalesce(lower(p.state) IN (lower(g.region), lower(g.region_code)), false) AS in_state
    FROM properties p
    JOIN gazetteer_places g ON g.country = p.country AND g.locality_key = p.city_key
   WHERE p.location IS NULL AND p.city_key <> '' AND ${ONLY}
), m AS (
  SELECT c.id, avg(c.lat) AS lat, avg(c.lng) AS lng, 'locality' AS precision
    FROM c JOIN (SELECT id, bool_or(in_state) AS any_in_state FROM c GROUP BY id) s ON s.id = c.id
   WHERE c.in_state OR NOT s.any_in_state
   GROUP BY c.id
  HAVING count(DISTINCT coalesce(c.region, '')) = 1 AND max(c.lat) - min(c.lat) <= 0.5 AND max(c.lng) - min(c.lng) <= 0.75)${UPDATE}`,
  },
];
