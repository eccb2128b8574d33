/**
 * Saved-search and webhook settings, from bindings (README "Configuration"). Defaults give a delivery
 * 13 attempts over about 41 hours: the first retry after a minute, doubling, each wait at most 12 hours
 * (the longest delay a Cloudflare Queue accepts).
 */
import type { Env } from "../../env";

export const MAX_SAVED_SEARCHES_PER_USER = 50;
/** Queues refuse a longer `delaySeconds` (Cloudflare Queues limits: 12 hours). */
export const MAX_RETRY_DELAY_SECONDS = 43_200;

export type WebhookSettings = {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseSeconds: number;
  /** Failed deliveries in a row (each after all its attempts) before the endpoint is disabled. */
  disableAfterFailures: number;
  /** Hosts exempt from the SSRF guard (the crawl fetcher's, connectors/core/ssrf.ts). */
  allowHosts: string[];
};

function number(value: unknown, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== null && value !== "" && Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function webhookSettings(env: Env): WebhookSettings {
  const allow = typeof env.WEBHOOK_ALLOW_HOSTS === "string" ? env.WEBHOOK_ALLOW_HOSTS : "";
  return {
    timeoutMs: number(env.WEBHOOK_TIMEOUT_MS, 10_000),
    maxAttempts: Math.max(1, number(env.WEBHOOK_MAX_ATTEMPTS, 13)),
    retryBaseSeconds: number(env.WEBHOOK_RETRY_BASE_SECONDS, 60),
    disableAfterFailures: Math.max(1, number(env.WEBHOOK_DISABLE_AFTER_FAILURES, 3)),
    allowHosts: allow
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  };
}

/** Exponential backoff: base × 2^(attempt − 1), at most the queue's longest delay. */
export function retryDelaySeconds(settings: WebhookSettings, attempt: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, Math.round(settings.retryBaseSeconds * 2 ** Math.max(0, attempt - 1)));
}
