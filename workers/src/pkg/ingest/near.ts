/**
 * Identity's second step (docs/ingest.md "Identity"): a street-level listing whose exact address key
 * missed is compared with the stored properties at the same house number on the same street name in
 * its country (`street_identity_key`, migration 0010), whatever postcode, locality or street type they
 * were written with. It merges into one of them only on unambiguous evidence:
 *
 * - the same place: postcodes equal when both sides give one (different postcodes are different places),
 *   else a locality in common (city or suburb, or, for a side that names only a wider place, a locality
 *   the gazetteer gives for its postcode),
 *   else coordinates on both sides within `SAME_POINT_METRES`; states must not disagree, and two precise
 *   points further apart than `FAR_APART_METRES` are different places whatever the names say;
 * - the same unit (or neither has one) and the same street type (the whole folded street line);
 * - exactly one stored property meets all of that.
 *
 * Everything else is created as a new property, and the candidates at the same place that missed only
 * on unit or street type, or that were too many to choose from, are reported as near candidates.
 */
import type { Listing } from "../../../../connectors/contract/ingest/listing";
import { postcodeKey } from "../../../../connectors/contract/ingest/normalise/address";
import { foldKey } from "../../../../connectors/contract/ingest/normalise/text";
import { precisionRank } from "../../../../connectors/contract/ingest/precision";
import type { PropertyRecord } from "./record";
import type { SourceReport } from "./status";

/** Two points this close, at the same house number on the same street, are one address. */
export const SAME_POINT_METRES = 50;
/** Two precise points this far apart are different places, even under the same names. */
export const FAR_APART_METRES = 2000;

/** A stored property found by the street key, with the localities the gazetteer gives for its postcode. */
export type NearCandidate = { record: PropertyRecord; reports: SourceReport[]; postcodeLocalities: string[] };

/** What the second step knows about an incoming listing besides the listing itself. */
export type NearContext = {
  /** Localities the gazetteer gives for the listing's own postcode (folded). */
  postcodeLocalities: string[];
  candidates: NearCandidate[];
};

export type NearReason = "other_unit" | "other_street_type" | "ambiguous";
export type NearMatch = { target: NearCandidate | null; near: Array<{ id: string; reason: NearReason }> };

/**
 * Fields besides `city` in which sources name the locality: address fields without a column of their own
 * (kept as `attributes.address_*`) and the top-level ones connectors use (homes.co.nz `suburb`, the UK
 * Price Paid `locality` and `district`).
 */
const LOCALITY_ATTRIBUTES = [
  "address_suburb",
  "address_locality",
  "address_town",
  "address_district",
  "suburb",
  "locality",
  "district",
] as const;

/** What the rules read of either side: a listing or a stored property. */
type Place = Pick<
  PropertyRecord,
  "street" | "unit" | "city" | "state" | "postalCode" | "country" | "location" | "locationPrecision" | "attributes"
>;

/**
 * The names of a side's locality. Its postcode's localities (from the gazetteer) stand in only when the
 * side names none of them itself (it gave the city, "Melbourne 3121", not the suburb): a side that names
 * its suburb ("Coburg 3058") is not also every other suburb of its postcode ("Coburg North 3058").
 */
function localitiesOf(place: Place, postcodeLocalities: string[]): Set<string> {
  const names = new Set<string>();
  if (place.city) names.add(foldKey(place.city));
  for (const key of LOCALITY_ATTRIBUTES) {
    const value = place.attributes[key];
    if (typeof value === "string" && value.trim()) names.add(foldKey(value));
  }
  names.delete("");
  const ofPostcode = postcodeLocalities.map(foldKey);
  if (!ofPostcode.some((name) => names.has(name))) for (const name of ofPostcode) names.add(name);
  return names;
}

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function metresBetween(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A point good enough to tell two addresses apart: anything finer than a postcode centroid. */
function precise(place: Place): boolean {
  return place.location !== null && precisionRank(place.locationPrecision) > precisionRank("postcode");
}

function samePlace(a: Place, aLocalities: Set<string>, b: Place, bLocalities: Set<string>): boolean {
  if (a.country !== b.country) return false;
  if (a.state && b.state && foldKey(a.state) !== foldKey(b.state)) return false;
  const distance = a.location && b.location ? metresBetween(a.location, b.location) : null;
  if (distance !== null && distance > FAR_APART_METRES && precise(a) && precise(b)) return false;
  if (a.postalCode && b.postalCode) return postcodeKey(a.postalCode, a.country) === postcodeKey(b.postalCode, b.country);
  for (const name of aLocalities) if (bLocalities.has(name)) return true;
  return distance !== null && distance <= SAME_POINT_METRES;
}

function sameKey(a: string | null, b: string | null): boolean {
  return foldKey(a ?? "") === foldKey(b ?? "");
}

/** The house number: the first word of a normalised street line ("14A Smith Street" → "14a"). */
function houseNumber(street: string | null): string {
  return foldKey(street ?? "").split(" ")[0] ?? "";
}

/** Decides the second step for one listing (see the module comment). */
export function matchNear(listing: Listing, context: NearContext): NearMatch {
  const mine = localitiesOf(listing, context.postcodeLocalities);
  const number = houseNumber(listing.street);
  const here = context.candidates.filter(
    (c) =>
      houseNumber(c.record.street) === number && samePlace(listing, mine, c.record, localitiesOf(c.record, c.postcodeLocalities)),
  );
  const same = here.filter((c) => sameKey(c.record.unit, listing.unit) && sameKey(c.record.street, listing.street));
  const near: NearMatch["near"] = here
    .filter((c) => !same.includes(c))
    .map((c) => ({ id: c.record.id, reason: sameKey(c.record.unit, listing.unit) ? "other_street_type" : "other_unit" }));
  if (same.length === 1) return { target: same[0]!, near };
  return { target: null, near: [...same.map((c) => ({ id: c.record.id, reason: "ambiguous" as const })), ...near] };
}
