/**
 * Place names for the offline basemap, from the gazetteer carried in the repository (GeoNames postal
 * codes, CC BY 4.0: AU, GB, NZ, US; see docs/geocoding.md). Built with the site, so the map needs no
 * network: each locality's centre is the mean of its postcodes' centres, and its size is how many
 * postcodes it spans (Houston has dozens, a village one). The largest places per country are kept, in
 * tiers the map shows by zoom (lib/place-labels.ts). Labels are drawn as HTML, not as a symbol layer:
 * symbol text needs glyph files (docs/basemap.md says why they are not carried).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readGeonamesPostcodes } from "../../../../db/gazetteer";

/** Relative to the repository root, where `astro build` runs (scripts/site.ts). */
const FILES = [
  "db/demo/au_postcodes_geonames.tsv.gz",
  "db/places/geonames-GB.tsv.gz",
  "db/places/geonames-NZ.tsv.gz",
  "db/places/geonames-US.tsv.gz",
];
const PER_COUNTRY = 700;
/** Tier 1: the largest places (shown from zoom 4), tier 2 from zoom 7, tier 3 from zoom 9. */
const TIERS = [40, 250];

type Place = { name: string; country: string; lat: number; lng: number; postcodes: number };

function titleCase(name: string): string {
  // Some GeoNames rows are upper case ("CANBERRA"); labels read better in title case.
  return name === name.toUpperCase() ? name.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase()) : name;
}

export function GET() {
  const features: unknown[] = [];
  for (const file of FILES) {
    const path = join(process.cwd(), file);
    if (!existsSync(path)) continue;
    const places = new Map<string, Place>();
    for (const r of readGeonamesPostcodes(path)) {
      const key = `${r.locality.toLowerCase()}|${r.regionCode ?? r.region ?? ""}`;
      const p = places.get(key);
      if (p) {
        p.lat += r.lat;
        p.lng += r.lng;
        p.postcodes += 1;
      } else places.set(key, { name: titleCase(r.locality), country: r.country, lat: r.lat, lng: r.lng, postcodes: 1 });
    }
    const largest = [...places.values()]
      .sort((a, b) => b.postcodes - a.postcodes || a.name.localeCompare(b.name))
      .slice(0, PER_COUNTRY);
    largest.forEach((p, i) => {
      const tier = i < TIERS[0]! ? 1 : i < TIERS[1]! ? 2 : 3;
      const round = (v: number) => Math.round((v / p.postcodes) * 1000) / 1000;
      features.push({
        type: "Feature",
        properties: { name: p.name, tier, rank: i },
        geometry: { type: "Point", coordinates: [round(p.lng), round(p.lat)] },
      });
    });
  }
  return new Response(JSON.stringify({ type: "FeatureCollection", features }), {
    headers: { "content-type": "application/json" },
  });
}
