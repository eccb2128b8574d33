/** A property as the ingest pipeline reads and writes it (one row of `properties` plus its image URLs). */
import type { ListingType, PropertyType, Status } from "./normalise/vocab";

export type PropertyRecord = {
  id: string;
  addressHash: string | null;
  primarySource: string;
  qualityScore: number;
  missingFields: string[];
  propertyType: PropertyType;
  propertySubtype: string | null;
  listingType: ListingType;
  status: Status;
  title: string | null;
  description: string | null;
  street: string | null;
  unit: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string;
  addressFull: string | null;
  location: { lat: number; lng: number } | null;
  locationPrecision: string | null;
  bedrooms: number | null;
  bathrooms: number | null;
  parkingSpaces: number | null;
  areaLivingSqm: number | null;
  areaLandSqm: number | null;
  yearBuilt: number | null;
  priceMinor: number | null;
  currency: string;
  soldPriceMinor: number | null;
  /** ISO instants. */
  listedAt: string;
  soldAt: string | null;
  thumbnailUrl: string | null;
  features: string[];
  attributes: Record<string, unknown>;
  /** Image URLs in display order. */
  images: string[];
};

export type EventType = "listed" | "price_change" | "status_change" | "sold" | "relisted" | "withdrawn";

export type PropertyEvent = {
  propertyId: string;
  type: EventType;
  old: Record<string, unknown> | null;
  new: Record<string, unknown> | null;
  source: string | null;
  /**
   * When it happened at the source (ISO): the sale date of a sale, the listing date of a listing, else the
   * time Pillow saw it. The time Pillow saw it is always kept besides (`property_events.at`).
   */
  occurredAt: string;
};
