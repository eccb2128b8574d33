/**
 * The gazetteer backfill's statements (docs/geocoding.md "Gazetteer backfill"): every property without a
 * location that has a postcode or a locality the offline gazetteer knows gets that place's centroid, with
 * the precision it has. Set-based: one UPDATE per precision for all countries, most precise first, each
 * touching only rows still without a location, so running
 * them again changes nothing and a better point written meanwhile (ingest, enrichment) is never replaced.
 * The gazetteer is read per property through LATERAL index lookups: right after a bulk load the planner's
 * row estimates for `properties` are stale, and a plain join then scanned the whole gazetteer once per
 * property (a minute for the demo's 6,000 UK rows instead of about a second).
 *
 * No imports: the Worker (hourly cron) and `npm start` (right after the demo load, over a Node driver) run
 * the same text.
 */

/** The point written; `updated_at` moves, as for any change of the record. */
const SET = `location = ST_SetSRID(ST_MakePoint(m.lng, m.lat), 4326)::geography,
       location_precision = m.precision, updated_at = now()`;

/** `$1`: null for every property (the cron, `npm start`), or only these ids (tests, which share one database). */
const ONLY = "($1::uuid[] IS NULL OR p.id = ANY($1::uuid[]))";

/** Writes the matches `m` where `guard` still holds, and answers how many rows it located. */
const update = (guard: string) => `, done AS (
  UPDATE properties p SET ${SET} FROM m WHERE p.id = m.id AND ${guard} RETURNING 1)
SELECT count(*)::int AS located FROM done`;

/**
 * A postcode step also lifts a locality centroid to its postcode's: a property stored between two steps of a
 * run (or whose postcode the gazetteer learnt later) would otherwise keep the coarser point for good.
 */
const POSTCODE_GUARD = "(p.location IS NULL OR p.location_precision = 'locality')";
const LOCALITY_GUARD = "p.location IS NULL";

/** Properties still without a location and with a postcode, their gazetteer key beside them. */
const WITH_POSTCODE = `SELECT p.id, p.country, p.city_key, gazetteer_postcode_key(p.country, p.postal_code) AS pc
    FROM properties p
   WHERE ${POSTCODE_GUARD} AND p.postal_code IS NOT NULL AND ${ONLY}`;

export type BackfillStep = { precision: "postcode" | "locality"; name: string; sql: string };

export const BACKFILL_STEPS: BackfillStep[] = [
  {
    // The place the property names within its postcode (GB: a place in the postcode district).
    precision: "postcode",
    name: "postcode_and_locality",
    sql: `WITH m AS (
  SELECT u.id, g.lat, g.lng, 'postcode' AS precision
    FROM (${WITH_POSTCODE}) u
    CROSS JOIN LATERAL (
      SELECT avg(g.lat) AS lat, avg(g.lng) AS lng FROM gazetteer_places g
       WHERE g.country = u.country AND g.postal_code = u.pc AND g.locality_key = u.city_key) g
   WHERE g.lat IS NOT NULL)${update(POSTCODE_GUARD)}`,
  },
  {
    // The postcode's centroid (the mean of its places).
    precision: "postcode",
    name: "postcode",
    sql: `WITH m AS (
  SELECT u.id, g.lat, g.lng, 'postcode' AS precision
    FROM (${WITH_POSTCODE}) u
    CROSS JOIN LATERAL (
      SELECT avg(g.lat) AS lat, avg(g.lng) AS lng FROM gazetteer_places g
       WHERE g.country = u.country AND g.postal_code = u.pc) g
   WHERE g.lat IS NOT NULL)${update(POSTCODE_GUARD)}`,
  },
  {
    // The locality's centroid, only when the name is one place: within the property's state where it names
    // one the gazetteer knows, else in the whole country. A name found in several regions, or whose places
    // lie further apart than a city spreads (about 55 km: GB's "Horsley" is four villages in England), is
    // several places and left alone.
    precision: "locality",
    name: "locality",
    sql: `WITH m AS (
  SELECT p.id, g.lat, g.lng, 'locality' AS precision
    FROM properties p
    CROSS JOIN LATERAL (
      SELECT avg(c.lat) AS lat, avg(c.lng) AS lng
        FROM (SELECT g.region, g.lat, g.lng, s.in_state, bool_or(s.in_state) OVER () AS any_in_state
                FROM gazetteer_places g
                CROSS JOIN LATERAL (
                  SELECT coalesce(lower(p.state) IN (lower(g.region), lower(g.region_code)), false) AS in_state) s
               WHERE g.country = p.country AND g.locality_key = p.city_key) c
       WHERE c.in_state OR NOT c.any_in_state
      HAVING count(DISTINCT coalesce(c.region, '')) = 1 AND max(c.lat) - min(c.lat) <= 0.5 AND max(c.lng) - min(c.lng) <= 0.75) g
   WHERE ${LOCALITY_GUARD} AND p.city_key <> '' AND ${ONLY})${update(LOCALITY_GUARD)}`,
  },
];
