/**
 * `npm run build:gazetteer -- <folder>`: rebuilds the offline geocoder's carried postcode files
 * (`db/places/geonames-<CC>.tsv.gz`) from GeoNames postal-code dumps.
 *
 * Input: GeoNames' per-country postal-code files `<CC>.txt` (the `export/zip/<CC>.zip` archives of
 * geonames.org, unzipped; CC BY 4.0), one folder holding `GB.txt`, `NZ.txt`, `US.txt`. GB's dump holds
 * outward codes (postcode districts, e.g. `NE1`) with the places in each; US's, ZIP codes; NZ's, postcodes.
 *
 * Output: the same GeoNames format (tab-separated, 12 columns), sorted, with the columns the gazetteer
 * does not read (admin2/admin3 names and codes) left empty so the files stay small; gzip level 9 with no
 * file name or time in the header, so the same input always gives the same bytes. The AU file
 * (`db/demo/au_postcodes_geonames.tsv.gz`) predates this script and is the 2017 dump, unchanged.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { CARRIED_COUNTRIES, carriedFile } from "../db/gazetteer.ts";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: npm run build:gazetteer -- <folder with GeoNames GB.txt, NZ.txt, US.txt>");
  process.exit(1);
}

for (const country of CARRIED_COUNTRIES) {
  const lines = readFileSync(join(dir, `${country}.txt`), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.split("\t"))
    .filter((f) => f[0] === country && f[2] && Number.isFinite(Number(f[9])) && Number.isFinite(Number(f[10])))
    // country, postcode, place, admin1 name, admin1 code, (admin2 name, code, admin3 name, code), lat, lng, accuracy
    .map((f) => [f[0], f[1], f[2], f[3], f[4], "", "", "", "", f[9], f[10], f[11] ?? ""].join("\t"))
    .sort();
  const unique = lines.filter((line, i) => i === 0 || line !== lines[i - 1]);
  const out = carriedFile(country);
  writeFileSync(out, gzipSync(`${unique.join("\n")}\n`, { level: 9 }));
  console.log(`${country}: ${unique.length} places → ${out.pathname}`);
}
