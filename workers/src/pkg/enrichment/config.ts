/** Enrichment settings, all from bindings (README's configuration table), with the documented defaults. */
import type { Env } from "../../env";

function num(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  const value = typeof raw === "number" ? raw : Number(raw ?? Number.NaN);
  return Number.isFinite(value) && value >= min ? value : fallback;
}

export function enrichmentConfig(env: Env) {
  return {
    /** Properties queued per hourly run at most. */
    maxPerRun: num(env, "ENRICHMENT_MAX_PER_RUN", 1000, 1),
    /** A property not seen at its source for this long is re-scraped even when complete. */
    staleAfterDays: num(env, "ENRICHMENT_STALE_AFTER_DAYS", 14, 1),
    /** A queued property is not queued again for this long. */
    cooloffHours: num(env, "ENRICHMENT_COOLOFF_HOURS", 24, 1),
    /** Consecutive "gone" answers after which a listing becomes off_market. */
    offMarketAfterMisses: num(env, "ENRICHMENT_OFF_MARKET_AFTER_MISSES", 3, 1),
    /** First retry delay; doubled per attempt, capped at an hour. */
    retryBaseSeconds: num(env, "ENRICHMENT_RETRY_BASE_SECONDS", 30, 0),
    /** How long one message may wait for a geocoder slot before taking the gazetteer's answer. */
    geocodeWaitMs: num(env, "ENRICHMENT_GEOCODE_WAIT_MS", 5000, 0),
  };
}

export type EnrichmentConfig = ReturnType<typeof enrichmentConfig>;

/** Delay before the next attempt: base · 2^(attempt-1), at most one hour (Queues allows up to 12 h). */
export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  return Math.min(3600, Math.round(baseSeconds * 2 ** Math.max(0, attempts - 1)));
}
