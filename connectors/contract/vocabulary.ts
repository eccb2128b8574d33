/**
 * The closed vocabularies every property is classified by, defined once: ingest validates against
 * them, connectors produce them, the read API and the site's filter forms offer them. Only the lists
 * live here (no synonym tables), so the site can import them without shipping ingest's word lists.
 */
export const PROPERTY_TYPES = [
  "house",
  "apartment",
  "condo",
  "townhouse",
  "multi_family",
  "commercial",
  "land",
  "other",
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export const STATUSES = ["active", "pending", "sold", "leased", "withdrawn", "off_market"] as const;
export type Status = (typeof STATUSES)[number];

export const LISTING_TYPES = ["sale", "rent"] as const;
export type ListingType = (typeof LISTING_TYPES)[number];
