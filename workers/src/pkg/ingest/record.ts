/** A property as the ingest pipeline reads and writes it (one row of `properties` plus its image URLs). */
import type { ListingType, PropertyType, Status } from "../../../../connectors/contract/ingest/normalise/vocab";
import type { IngestColumnKey, PropertyColumns } from "./columns";

/** What the columns' own types cannot say: the vocabulary's enums, the point as lat/lng, instants as ISO text. */
type Refined = {
  propertyType: PropertyType;
  listingType: ListingType;
  status: Status;
  location: { lat: number; lng: number } | null;
  /** ISO instants. */
  listedAt: string;
  soldAt: string | null;
};

/** The ingested columns of `properties` (columns.ts, derived from db/schema.ts), and the image URLs in display order. */
export type PropertyRecord = Omit<Pick<PropertyColumns, IngestColumnKey>, keyof Refined> & Refined & { images: string[] };

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
