export { type EdgeOutcome, edgeFetch, type Origin } from "./fetch";
export { newGeneration } from "./generation";
export { DEFAULT_FRESH_SECONDS, DEFAULT_STALE_SECONDS, type EdgeEnv, edgeSettings } from "./settings";
