/**
 * A normalised listing: what one source says about one property, in Pillow's units and vocabulary.
 * It is what gets hashed (identical re-submissions are skipped), stored per source in
 * `property_sources.payload`, and merged into the property.
 */

import { MEASURES, type Measures, type Prices } from "./measures";
import { normaliseAddress } from "./normalise/address";
import { defaultCurrency, toMinorUnits } from "./normalise/money";
import { type ListingType, type PropertyType, type Status, toPropertyType } from "./normalise/vocab";
import type { LocationPrecision } from "./precision";
import { type IngestItem, KNOWN_FIELDS, READ_ONLY_FIELDS } from "./schema";

export type Listing = Measures &
  Prices & {
    source: string;
    sourceListingId: string;
    sourceUrl: string;
    /** null: the source did not say (a merge keeps what is known). */
    propertyType: PropertyType | null;
    propertySubtype: string | null;
    listingType: ListingType | null;
    status: Status | null;
    title: string | null;
    description: string | null;
    currency: string;
    /** True when the source gave an explicit sold price, so `price` is still the asking price. */
    soldPriceGiven: boolean;
    soldAt: string | null;
    street: string | null;
    unit: string | null;
    city: string | null;
    state: string | null;
    postalCode: string | null;
    country: string;
    addressFull: string | null;
    /** Canonical street-level address, the input of `address_hash`; null when coarser than a street. */
    addressKey: string | null;
    location: { lat: number; lng: number } | null;
    locationPrecision: LocationPrecision | null;
    listedAt: string | null;
    images: string[];
    features: string[];
    attributes: Record<string, unknown>;
    /** Things validation let through but quality should count against (unknown type, …). */
    warnings: string[];
  };

/** Seven decimals ≈ 1 cm: more is noise, and a stable value keeps re-submissions identical. */
function roundCoord(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** The item's measures, each under its column's name (`bedrooms`, `area_living_sqm`, …), as validation left them. */
function measuresOfItem(item: IngestItem): Measures {
  const fields = item as unknown as Record<string, number | null>;
  const out = {} as Measures;
  for (const m of MEASURES) out[m.key] = fields[m.name] as number | null;
  return out;
}

export function toListing(item: IngestItem): Listing {
  const warnings: string[] = [];
  const country = item.address.country;
  const currency = item.currency ?? defaultCurrency(country) ?? "USD";
  const address = normaliseAddress(item.address);

  let propertyType: PropertyType | null = null;
  const attributes: Record<string, unknown> = { ...(item.attributes ?? {}) };
  if (item.property_type) {
    const mapped = toPropertyType(item.property_type);
    propertyType = mapped ?? "other";
    if (!mapped) warnings.push("property_type");
    if (mapped !== item.property_type) attributes.property_type_raw = item.property_type;
  }
  // Unknown fields are kept, never silently dropped.
  for (const [key, value] of Object.entries(item)) {
    if (!KNOWN_FIELDS.has(key) && !READ_ONLY_FIELDS.has(key) && value !== undefined) attributes[key] = value;
  }
  // `full` is the read API's formatted line: recomputed here, never stored as given
  const { street, unit, city, state, postal_code, country: _c, full: _full, ...addressExtra } = item.address;
  for (const [key, value] of Object.entries(addressExtra)) if (value !== undefined) attributes[`address_${key}`] = value;
  if (address.building) attributes.building_name = address.building;
  // The price's qualifier is structured (validated against PRICE_QUALIFIERS) and stored with the source's report.
  if (item.price_qualifier) attributes.price_qualifier = item.price_qualifier;
  if (item.price_period && item.price_period !== "month") attributes.price_period = item.price_period;

  const soldPriceGiven = item.sold_price != null;
  const soldMajor = item.status === "sold" ? (item.sold_price ?? item.price) : item.sold_price;

  return {
    source: item.source,
    sourceListingId: item.source_listing_id,
    sourceUrl: item.source_url,
    propertyType,
    propertySubtype: item.property_subtype,
    listingType: item.listing_type,
    status: item.status,
    title: item.title,
    description: item.description,
    priceMinor: item.price == null || item.price === 0 ? null : toMinorUnits(item.price, currency),
    currency,
    soldPriceMinor: soldMajor == null ? null : toMinorUnits(soldMajor, currency),
    soldPriceGiven,
    soldAt: item.sold_at,
    ...measuresOfItem(item),
    bathrooms: item.bathrooms == null ? null : Math.round(item.bathrooms * 100) / 100,
    street: address.street,
    unit: address.unit,
    city: address.city,
    state: address.state,
    postalCode: address.postalCode,
    country,
    addressFull: address.full,
    addressKey: address.identityKey,
    location: item.location ? { lat: roundCoord(item.location.lat), lng: roundCoord(item.location.lng) } : null,
    locationPrecision: item.location ? (item.location.precision ?? "source") : null,
    listedAt: item.listed_at,
    images: item.images,
    features: item.features,
    attributes,
    warnings,
  };
}
