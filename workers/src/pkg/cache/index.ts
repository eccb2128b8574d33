export { cachedJsonResponse, conditionalGet, DEFAULT_CACHE_CONTROL } from "./conditional-get";
export { CACHE_TTL_SECONDS, type CacheOutcome, cachedJson } from "./query-cache";
