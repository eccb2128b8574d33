export { type BackfillResult, locateFromGazetteer } from "./backfill";
export { BACKFILL_STEPS } from "./backfill-sql";
export { takeSlot } from "./budget";
export { gazetteerLookup } from "./gazetteer";
export { type Precision, ProviderUnavailableError } from "./nominatim";
export { type AddressComponents, formatQuery, type ParseResult, parseAddress } from "./parse";
export { COUNTRY_NAMES, type CountryCode } from "./regions";
export {
  type FallbackReason,
  type GeocodeOptions,
  type GeocodeResult,
  type GeocodeStatus,
  geocode,
  PRECISION_RANK,
} from "./service";
