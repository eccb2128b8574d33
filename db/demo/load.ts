/**
 * Minimal demo loader for README command 1: the openly licensed King County sales (CC0) go straight
 * into `properties` with set-based SQL. The connectors' dataset importers replace this with the full
 * ingest path; this exists so a fresh clone has real data to look at from the first commit.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import pg from "pg";
import { kingCountyCity } from "./king-county.ts";

const SQFT = 0.09290304;

type KcRow = Record<string, string>;

export async function loadKingCounty(databaseUrl: string, file = new URL("./kc_house_data.csv.gz", import.meta.url)) {
  const rows = parse(gunzipSync(readFileSync(file)), { columns: true }) as KcRow[];
  // One property per parcel: the latest sale wins (repeat sales become history in the full importer).
  const latest = new Map<string, KcRow>();
  for (const r of rows) {
    const prev = latest.get(r.id as string);
    if (!prev || (r.date as string) > (prev.date as string)) latest.set(r.id as string, r);
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const items = [...latest.values()];
    for (let i = 0; i < items.length; i += 2000) {
      const chunk = items.slice(i, i + 2000);
      const col = (f: (r: KcRow) => unknown) => chunk.map(f);
      const date = (r: KcRow) => `${r.date?.slice(0, 4)}-${r.date?.slice(4, 6)}-${r.date?.slice(6, 8)}T00:00:00Z`;
      await client.query(
        `WITH u AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::int[], $7::real[],
                                $8::real[], $9::real[], $10::int[], $11::bigint[], $12::timestamptz[])
             AS u(pid, city, zip, lat, lng, beds, baths, living, land, built, price, sold_at)
         ), ins AS (
           INSERT INTO properties (primary_source, property_type, listing_type, status, title, city, state, postal_code,
                                   country, address_full, location, location_precision, bedrooms, bathrooms, area_living_sqm,
                                   area_land_sqm, year_built, price_minor, currency, sold_price_minor, listed_at, sold_at,
                                   attributes)
           SELECT 'kc_house_data', 'house', 'sale', 'sold', beds || ' bed house in ' || city, city, 'WA', zip, 'US',
                  city || ', WA ' || zip, ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography, 'source', beds, baths,
                  living, land, built, price * 100, 'USD', price * 100, sold_at, sold_at, jsonb_build_object('parcel_id', pid)
             FROM u
           RETURNING id, attributes->>'parcel_id' AS pid
         )
         INSERT INTO property_sources (property_id, source, source_listing_id, source_url, payload_hash)
         SELECT id, 'kc_house_data', pid, 'https://www.kaggle.com/datasets/harlfoxem/housesalesprediction#' || pid, md5(pid)
           FROM ins
         ON CONFLICT (source, source_listing_id) DO NOTHING`,
        [
          col((r) => r.id),
          col((r) => kingCountyCity(r.zipcode as string)),
          col((r) => r.zipcode),
          col((r) => Number(r.lat)),
          col((r) => Number(r.long)),
          col((r) => Number(r.bedrooms)),
          col((r) => Number(r.bathrooms)),
          col((r) => Math.round(Number(r.sqft_living) * SQFT * 10) / 10),
          col((r) => Math.round(Number(r.sqft_lot) * SQFT * 10) / 10),
          col((r) => Number(r.yr_built) || null),
          col((r) => Math.round(Number(r.price))),
          col(date),
        ],
      );
    }
    const { rows: count } = await client.query("SELECT count(*)::int AS n FROM properties");
    return count[0].n as number;
  } finally {
    await client.end();
  }
}
