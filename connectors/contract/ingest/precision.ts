/**
 * How exact a location is. Listings carry their source's own point (`source`); geocoders report what
 * they matched. A point is only replaced by one at least as exact, so a geocoded rooftop survives a
 * later message with a postcode centroid, and no message without coordinates erases any.
 */
export const LOCATION_PRECISIONS = ["locality", "postcode", "street", "source", "rooftop"] as const;
export type LocationPrecision = (typeof LOCATION_PRECISIONS)[number];

/** Precisions that stand for an area, not the property: drawn hollow on the map, flagged in radius results. */
export const APPROXIMATE_PRECISIONS: readonly LocationPrecision[] = ["postcode", "locality"];

export function precisionRank(precision: string | null | undefined): number {
  return precision ? LOCATION_PRECISIONS.indexOf(precision as LocationPrecision) : -1;
}

/** Whether an incoming point should replace the stored one. */
export function replacesLocation(incoming: string | null, existing: string | null, hasExisting: boolean): boolean {
  if (!hasExisting) return true;
  return precisionRank(incoming) >= precisionRank(existing);
}
