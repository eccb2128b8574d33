/** Ingest: the one way properties enter Pillow. See docs/ingest.md. */
export { addressHash, payloadHash, rawSourceKey } from "./identify";
export { type Listing, toListing } from "./listing";
export { type NormalisedAddress, normaliseAddress } from "./normalise/address";
export { toCountryCode } from "./normalise/country";
export { parsePrice, toMajorUnits, toMinorUnits } from "./normalise/money";
export { parseArea } from "./normalise/units";
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
} from "./normalise/vocab";
export {
  type FieldError,
  type IngestOptions,
  type IngestOutcome,
  type IngestReport,
  type IngestResult,
  type IngestTotals,
  ingestItems,
} from "./pipeline";
export { LOCATION_PRECISIONS, type LocationPrecision } from "./precision";
export type { EventType, PropertyEvent, PropertyRecord } from "./record";
export {
  IngestAddressSchema,
  type IngestItem,
  type IngestItemInput,
  IngestItemSchema,
  IngestLocationSchema,
  MAX_IMAGES,
} from "./schema";
export { type WithdrawOutcome, withdrawProperty } from "./withdraw";
