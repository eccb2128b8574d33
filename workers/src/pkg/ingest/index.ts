/** Ingest: the one way properties enter Pillow. See docs/ingest.md. */

export { type Listing, toListing } from "../../../../connectors/contract/ingest/listing";
export { type NormalisedAddress, normaliseAddress } from "../../../../connectors/contract/ingest/normalise/address";
export { toCountryCode } from "../../../../connectors/contract/ingest/normalise/country";
export { parsePrice, toMajorUnits, toMinorUnits } from "../../../../connectors/contract/ingest/normalise/money";
export { parseArea } from "../../../../connectors/contract/ingest/normalise/units";
export {
  LISTING_TYPES,
  type ListingType,
  PROPERTY_TYPES,
  type PropertyType,
  STATUSES,
  type Status,
  toListingType,
  toPropertyType,
  toStatus,
} from "../../../../connectors/contract/ingest/normalise/vocab";
export { LOCATION_PRECISIONS, type LocationPrecision } from "../../../../connectors/contract/ingest/precision";
export {
  IngestAddressSchema,
  type IngestItem,
  type IngestItemInput,
  IngestItemSchema,
  IngestLocationSchema,
  MAX_IMAGES,
} from "../../../../connectors/contract/ingest/schema";
export { addressHash, payloadHash, rawSourceKey } from "./identify";
export {
  type FieldError,
  type IngestOptions,
  type IngestOutcome,
  type IngestReport,
  type IngestResult,
  type IngestTotals,
  ingestItems,
} from "./pipeline";
export type { EventType, PropertyEvent, PropertyRecord } from "./record";
export { type WithdrawOutcome, withdrawProperty } from "./withdraw";
