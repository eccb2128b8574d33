export { cachedJsonResponse, conditionalGet, DEFAULT_CACHE_CONTROL } from "./conditional-get";
export { CACHE_TTL_SECONDS, type CachedBody, type CacheOutcome, cachedJson, etagOf } from "./query-cache";
