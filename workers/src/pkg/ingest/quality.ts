/**
 * Data quality: a score in [0, 1] from the completeness of the fields people search and compare by,
 * lowered by what validation had to guess, plus the list of missing key fields that the enrichment
 * scheduler works from. A record without coordinates lists `location`: that is its flag for
 * geocoding (ingest never geocodes inline).
 */
import type { PropertyRecord } from "./record";

type Check = {
  field: string;
  weight: number;
  present: (r: PropertyRecord) => boolean;
  appliesTo?: (r: PropertyRecord) => boolean;
};

const notLand = (r: PropertyRecord) => r.propertyType !== "land" && r.propertyType !== "commercial";

const CHECKS: Check[] = [
  { field: "location", weight: 3, present: (r) => r.location !== null },
  { field: "price", weight: 3, present: (r) => r.priceMinor !== null || r.soldPriceMinor !== null },
  { field: "street", weight: 2, present: (r) => r.street !== null },
  { field: "city", weight: 1, present: (r) => r.city !== null },
  { field: "postal_code", weight: 1, present: (r) => r.postalCode !== null },
  { field: "property_type", weight: 1, present: (r) => r.propertyType !== "other" },
  { field: "bedrooms", weight: 2, present: (r) => r.bedrooms !== null, appliesTo: notLand },
  { field: "bathrooms", weight: 1, present: (r) => r.bathrooms !== null, appliesTo: notLand },
  { field: "area_living_sqm", weight: 2, present: (r) => r.areaLivingSqm !== null, appliesTo: notLand },
  {
    field: "area_land_sqm",
    weight: 1,
    present: (r) => r.areaLandSqm !== null,
    appliesTo: (r) => r.propertyType === "house" || r.propertyType === "land",
  },
  { field: "year_built", weight: 1, present: (r) => r.yearBuilt !== null, appliesTo: notLand },
  { field: "title", weight: 1, present: (r) => r.title !== null },
  { field: "description", weight: 1, present: (r) => r.description !== null },
  { field: "images", weight: 2, present: (r) => r.images.length > 0 },
];

/** Each validation guess (unknown type mapped to `other`, …) costs this much. */
const WARNING_PENALTY = 0.05;

export function assessQuality(record: PropertyRecord, warnings: string[] = []): { score: number; missing: string[] } {
  let total = 0;
  let have = 0;
  const missing: string[] = [];
  for (const check of CHECKS) {
    if (check.appliesTo && !check.appliesTo(record)) continue;
    total += check.weight;
    if (check.present(record)) have += check.weight;
    else missing.push(check.field);
  }
  const score = Math.max(0, have / total - WARNING_PENALTY * warnings.length);
  return { score: Math.round(score * 100) / 100, missing };
}
