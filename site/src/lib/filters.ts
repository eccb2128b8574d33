/**
 * The read API's search filters, described once: the search and market forms are rendered from this
 * list, and the page URL ⇄ API query mapping uses it. Names are the API's own, so a page URL's query
 * string is (almost) the API query.
 */
import { LISTING_TYPES, PROPERTY_TYPES, STATUSES } from "../../../workers/src/pkg/vocabulary";

export { LISTING_TYPES, PROPERTY_TYPES, STATUSES };

/** The page's "any status" choice: the API default is `active`, the demo data is mostly `sold`. */
export const ANY_STATUS = STATUSES.join(",");

export type FilterKind = "number" | "text" | "date" | "select" | "multi";
export type FilterDef = {
  name: string;
  label: string;
  kind: FilterKind;
  options?: readonly string[];
  placeholder?: string;
  /** Shown in the first row of the form; the rest go under "More filters". */
  primary?: boolean;
  step?: number;
};

export const FILTERS: FilterDef[] = [
  { name: "q", label: "Keywords", kind: "text", placeholder: "e.g. view, garden, Ballard", primary: true },
  // The place box (components/PlaceBox.astro) finds places; City stays as the exact filter it sets.
  { name: "city", label: "City (exact)", kind: "text", placeholder: "Seattle" },
  { name: "min_price", label: "Min price", kind: "number", placeholder: "No min", primary: true, step: 1000 },
  { name: "max_price", label: "Max price", kind: "number", placeholder: "No max", primary: true, step: 1000 },
  { name: "min_bedrooms", label: "Min beds", kind: "number", placeholder: "Any", primary: true },
  { name: "max_bedrooms", label: "Max beds", kind: "number", placeholder: "Any" },
  { name: "min_bathrooms", label: "Min baths", kind: "number", placeholder: "Any", primary: true, step: 0.5 },
  { name: "listing_type", label: "Listing", kind: "select", options: LISTING_TYPES },
  { name: "min_area", label: "Min living area (m²)", kind: "number", placeholder: "Any" },
  { name: "max_area", label: "Max living area (m²)", kind: "number", placeholder: "Any" },
  { name: "min_land_area", label: "Min land (m²)", kind: "number", placeholder: "Any" },
  { name: "year_built_min", label: "Built from", kind: "number", placeholder: "Year" },
  { name: "year_built_max", label: "Built until", kind: "number", placeholder: "Year" },
  { name: "state", label: "State / region", kind: "text", placeholder: "WA" },
  { name: "postal_code", label: "Postal code", kind: "text", placeholder: "98103" },
  { name: "country", label: "Country (ISO)", kind: "text", placeholder: "US" },
  { name: "source", label: "Source", kind: "text", placeholder: "kaggle-kc-house-sales" },
  { name: "features", label: "Features (all of)", kind: "text", placeholder: "garage,waterfront" },
  { name: "listed_since", label: "Listed since", kind: "date" },
  { name: "updated_since", label: "Updated since", kind: "date" },
];

export const SORTS: { value: string; label: string }[] = [
  { value: "-listed_at", label: "Newest" },
  { value: "price", label: "Price: low to high" },
  { value: "-price", label: "Price: high to low" },
  { value: "price_per_sqm", label: "Price per m²: low to high" },
  { value: "-updated_at", label: "Recently updated" },
  { value: "distance", label: "Distance (needs a centre point)" },
];

/** Parameters the page passes straight to the API (besides the FILTERS): geo and type lists. */
export const PASS_THROUGH = ["property_type", "status", "bbox", "near", "radius_km", "polygon", "sort"] as const;

/** Every API parameter the search state may hold. */
export const STATE_KEYS = [...FILTERS.map((f) => f.name), ...PASS_THROUGH];

/**
 * Page URL → API query. Empty values are dropped; status defaults to "any" on the page (the demo data
 * is historical sales), so it is always sent explicitly.
 */
export function apiQuery(page: URLSearchParams, extra: Record<string, string> = {}): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of STATE_KEYS) {
    const value = page.get(key)?.trim();
    if (value) out.set(key, key === "listed_since" || key === "updated_since" ? toIsoDate(value) : value);
  }
  if (!out.has("status")) out.set("status", ANY_STATUS);
  if (out.get("sort") === "distance" && !out.has("near")) out.delete("sort");
  for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return out;
}

function toIsoDate(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
}
