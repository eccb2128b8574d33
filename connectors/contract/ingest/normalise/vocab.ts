/**
 * The words sources use for the enums every property is classified by (the enums themselves are
 * defined once in contract/vocabulary.ts and re-exported here). Lookups fold case, punctuation and
 * separators, so "Apartment/Unit", "apartment - unit" and "APARTMENT_UNIT" are one key.
 */
import type { ListingType, PropertyType, Status } from "../../vocabulary";
import { foldKey } from "./text";

export { LISTING_TYPES, type ListingType, PROPERTY_TYPES, type PropertyType, STATUSES, type Status } from "../../vocabulary";

function table<T extends string>(entries: Record<T, string[]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [value, words] of Object.entries(entries) as Array<[T, string[]]>) {
    map.set(foldKey(value), value);
    for (const word of words) map.set(foldKey(word), value);
  }
  return map;
}

const PROPERTY_TYPE_WORDS = table<PropertyType>({
  house: [
    "home",
    "detached",
    "detached house",
    "single family",
    "single family residence",
    "single family home",
    // RESO's PropertySubType, as US and Canadian MLS feeds and portals (Redfin) name a detached house.
    "single family residential",
    "sfr",
    "residential",
    "bungalow",
    "cottage",
    "house and land",
    "farmhouse",
    "chalet",
    "house of character",
    "D",
    "S",
  ],
  apartment: [
    "apartment/unit",
    "unit/apartment",
    "unit",
    "apt",
    "flat",
    "flats",
    "studio",
    "penthouse",
    "maisonette",
    "apartment unit",
    "serviced apartment",
    "F",
    "flat/apartment",
    "flat apartment",
    "retirement living",
  ],
  condo: ["condominium", "co-op", "coop", "cooperative", "condo/townhome", "strata"],
  // Semi-detached and end-of-terrace homes share walls like a terrace (as the UK sites and the
  // connectors have always classed them); an Australian "villa" is a unit in a small group.
  townhouse: [
    "town house",
    "townhome",
    "terrace",
    "terraced",
    "terraced house",
    "end of terrace",
    "row house",
    "rowhouse",
    "mid terrace",
    "semi",
    "semi detached",
    "semi-detached house",
    "villa",
    "T",
  ],
  multi_family: [
    "multi family",
    "multifamily",
    "multi-unit",
    "duplex",
    "triplex",
    "fourplex",
    "quadplex",
    "block of units",
    "apartment building",
    "2-4 units",
    "home and income",
    "semi-detached duplex",
  ],
  commercial: ["office", "retail", "shop", "industrial", "warehouse", "hospitality", "mixed use", "business", "commercial farm"],
  land: [
    "vacant land",
    "lot",
    "lots",
    "lots/land",
    "section",
    "residential land",
    "acreage",
    "plot",
    "building plot",
    "site",
    "land/development",
    "development site",
    "rural",
    "farm",
    "farmland",
    "rural land",
    "lifestyle",
  ],
  other: ["O", "car park", "carpark", "parking", "garage", "mobile home", "manufactured", "houseboat", "boat shed", "storage"],
});

const STATUS_WORDS = table<Status>({
  active: [
    "for sale",
    "for rent",
    "available",
    "on market",
    "on the market",
    "listed",
    "new",
    "new listing",
    "current",
    "price reduced",
    "reduced",
    "back on market",
    "open home",
    "coming soon",
    "auction",
    "for auction",
    "to let",
  ],
  pending: [
    "under offer",
    "under contract",
    "sale agreed",
    "sold stc",
    "sstc",
    "sold subject to contract",
    "contingent",
    "offer accepted",
    "conditional",
    "under agreement",
    "deposit taken",
    "let agreed",
    "in escrow",
    "pending sale",
    "active under contract",
    "conditionally sold",
    "under negotiation",
  ],
  sold: ["closed", "settled", "sold prior", "sold at auction", "unconditional", "sold by private treaty", "completed"],
  leased: ["let", "rented", "let out", "leased out", "tenanted"],
  withdrawn: ["cancelled", "canceled", "expired", "removed", "delisted", "deleted"],
  off_market: ["off market", "off-market", "not for sale", "inactive", "not available"],
});

const LISTING_TYPE_WORDS = table<ListingType>({
  sale: ["for sale", "buy", "sell", "sales", "purchase", "sold", "auction"],
  rent: ["rental", "rentals", "lease", "for rent", "for lease", "to let", "let", "letting", "lettings", "to rent"],
});

/**
 * Keywords that name a type inside longer text ("Semi-Detached Bungalow", "ApartmentUnitFlat",
 * "Lifestyle Property"), tried in order when the whole text is not a known word: the first match wins,
 * so rooms and parking are told apart from the homes they belong to before homes are looked for.
 */
const PROPERTY_TYPE_KEYWORDS: Array<[RegExp, PropertyType]> = [
  [/\bshare|\broom\b|parking|garage/, "other"],
  [/duplex|triplex|multi.?family/, "multi_family"],
  [/town ?house|terrace|semi|villa/, "townhouse"],
  [/condo/, "condo"],
  [/apartment|flat|studio|penthouse|maisonette/, "apartment"],
  [/\bunit\b|home_units|units/, "apartment"],
  [/land|lot|section|plot|vacant/, "land"],
  [/rural|farm|acreage|lifestyle/, "land"],
  [/commercial|office|retail|industrial|shop/, "commercial"],
  [/house|home|bungalow|cottage|detached|residence|cabin|chalet/, "house"],
];

/**
 * The property type a source's word or text means, the one mapping (ingest, connectors and importers
 * use it): a known word first, then keywords in the text; undefined when neither says.
 */
export function toPropertyType(value: string): PropertyType | undefined {
  // "D"/"S"/"T"/"F"/"O" are Price Paid Data codes; only the bare upper-case letter means that.
  if (value.length === 1 && value !== value.toUpperCase()) return undefined;
  const word = PROPERTY_TYPE_WORDS.get(value.length === 1 ? value.toLowerCase() : foldKey(value));
  if (word) return word;
  const text = value.toLowerCase();
  return PROPERTY_TYPE_KEYWORDS.find(([pattern]) => pattern.test(text))?.[1];
}

export function toStatus(value: string): Status | undefined {
  return STATUS_WORDS.get(foldKey(value));
}

export function toListingType(value: string): ListingType | undefined {
  return LISTING_TYPE_WORDS.get(foldKey(value));
}
