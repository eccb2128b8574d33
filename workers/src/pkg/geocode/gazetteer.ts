/**
 * The offline fallback: postcode and locality centroids from `gazetteer_places` (loaded by
 * `db/gazetteer.ts`). Always available while the database is; answers are low precision by nature.
 */
import type { Env } from "../../env";
import { getSql } from "../db";
import type { Precision } from "./nominatim";
import type { AddressComponents } from "./parse";

export type GazetteerHit = { lat: number; lng: number; precision: Precision; source: string; country: string };

type Row = { lat: number; lng: number; source: string; country: string };

/**
 * Most specific first: locality within its postcode, then the postcode's centroid (postcodes compared by
 * their gazetteer key, migration 0011: a GB postcode by its district, a US ZIP+4 by its ZIP), then the locality
 * alone (narrowed by state when given; when a name exists in several states, the state with most
 * entries wins).
 */
export async function gazetteerLookup(env: Env, c: AddressComponents): Promise<GazetteerHit | null> {
  const sql = getSql(env);
  const country = c.country_code || null;
  const postcode = c.postal_code || null;
  const places = [c.suburb, c.city].filter((p) => p.trim() !== "");
  const state = c.state || null;

  const first = (rows: Row[], precision: Precision): GazetteerHit | null => {
    const r = rows[0];
    return r && r.lat !== null
      ? { lat: Number(r.lat), lng: Number(r.lng), precision, source: r.source, country: r.country }
      : null;
  };

  if (postcode) {
    for (const place of places) {
      const rows = (await sql.query(
        `SELECT avg(lat) AS lat, avg(lng) AS lng, min(source) AS source, min(country) AS country
           FROM gazetteer_places
          WHERE ($1::text IS NULL OR country = $1) AND postal_code = gazetteer_postcode_key(coalesce($1::text, country), $2)
            AND locality_key = lower(f_unaccent($3))
         HAVING count(*) > 0`,
        [country, postcode, place],
      )) as Row[];
      const hit = first(rows, "postcode");
      if (hit) return hit;
    }
    const rows = (await sql.query(
      `SELECT avg(lat) AS lat, avg(lng) AS lng, min(source) AS source, min(country) AS country
         FROM gazetteer_places
        WHERE ($1::text IS NULL OR country = $1) AND postal_code = gazetteer_postcode_key(coalesce($1::text, country), $2)
        GROUP BY country ORDER BY count(*) DESC LIMIT 1`,
      [country, postcode],
    )) as Row[];
    const hit = first(rows, "postcode");
    if (hit) return hit;
  }
  for (const place of places) {
    const rows = (await sql.query(
      `SELECT avg(lat) AS lat, avg(lng) AS lng, min(source) AS source, min(country) AS country
         FROM gazetteer_places
        WHERE ($1::text IS NULL OR country = $1) AND locality_key = lower(f_unaccent($2))
          AND ($3::text IS NULL OR region = $3 OR region_code = $3)
        GROUP BY country, region ORDER BY count(*) DESC LIMIT 1`,
      [country, place, state],
    )) as Row[];
    const hit = first(rows, "locality");
    if (hit) return hit;
  }
  return null;
}
