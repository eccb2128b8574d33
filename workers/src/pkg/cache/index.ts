export { conditionalGet, DEFAULT_CACHE_CONTROL } from "./conditional-get";
export { CACHE_TTL_SECONDS, type CacheOutcome, cachedQuery, sha256Hex } from "./query-cache";
