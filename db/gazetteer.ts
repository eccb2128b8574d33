/**
 * Loads the offline geocoder's gazetteer (postcode / locality centroids) into `gazetteer_places`.
 * Node side only: the Worker reads the table, never the files. Each load replaces one source's rows in
 * one transaction, so running it again (every `npm start`, every test run, every deploy) is harmless.
 *
 * Carried in the repo, all GeoNames postal codes (CC BY 4.0; attribution in the README, the docs and each
 * geocoded answer): AU postcodes (`db/demo/au_postcodes_geonames.tsv.gz`, the 2017 dump) and GB outward
 * codes (postcode districts), NZ postcodes and US ZIP codes (`db/places/geonames-<CC>.tsv.gz`, rebuilt by
 * `npm run build:gazetteer`, see scripts/build-gazetteer.ts). Anything unlicensed (e.g. the NZ list in
 * `../shared/datasets/gazetteer/`) may be loaded by tests from its own path, never copied into the repo.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import pg from "pg";

export type GazetteerRow = {
  country: string;
  postalCode: string | null;
  locality: string;
  region: string | null;
  regionCode: string | null;
  lat: number;
  lng: number;
};

export const AU_GEONAMES_FILE = new URL("./demo/au_postcodes_geonames.tsv.gz", import.meta.url);

/** Countries whose GeoNames postal codes are carried in `db/places/` (AU is in `db/demo/`). */
export const CARRIED_COUNTRIES = ["GB", "NZ", "US"] as const;

export function carriedFile(country: (typeof CARRIED_COUNTRIES)[number]): URL {
  return new URL(`./places/geonames-${country}.tsv.gz`, import.meta.url);
}

/** GeoNames postal-code dump: country, postcode, place, admin1 name, admin1 code, …, lat, lng, accuracy. */
export function readGeonamesPostcodes(file: URL | string): GazetteerRow[] {
  const raw = readFileSync(file);
  const text = (String(file).endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.split("\t"))
    .map((f) => ({
      country: f[0] as string,
      postalCode: f[1] || null,
      locality: f[2] as string,
      region: f[3] || null,
      regionCode: f[4] || null,
      lat: Number(f[9]),
      lng: Number(f[10]),
    }))
    .filter((r) => r.locality && Number.isFinite(r.lat) && Number.isFinite(r.lng));
}

/** Replaces every row of `source` with `rows`, in one transaction. Returns the number loaded. */
export async function loadGazetteer(databaseUrl: string, source: string, rows: GazetteerRow[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("DELETE FROM gazetteer_places WHERE source = $1", [source]);
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      const col = <K extends keyof GazetteerRow>(k: K) => chunk.map((r) => r[k]);
      await client.query(
        `INSERT INTO gazetteer_places (country, postal_code, locality, region, region_code, lat, lng, source)
         SELECT u.*, $8 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[]) AS u`,
        [col("country"), col("postalCode"), col("locality"), col("region"), col("regionCode"), col("lat"), col("lng"), source],
      );
    }
    await client.query("COMMIT");
    return rows.length;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

/**
 * The gazetteer that ships with Pillow (GeoNames, CC BY): one source per country (`geonames-au`,
 * `geonames-gb`, …), each replaced in its own transaction. Returns the number of places loaded.
 */
export async function loadCarriedGazetteer(databaseUrl: string): Promise<number> {
  let n = await loadGazetteer(databaseUrl, "geonames-au", readGeonamesPostcodes(AU_GEONAMES_FILE));
  for (const country of CARRIED_COUNTRIES) {
    n += await loadGazetteer(databaseUrl, `geonames-${country.toLowerCase()}`, readGeonamesPostcodes(carriedFile(country)));
  }
  return n;
}
