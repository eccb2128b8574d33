import type { Identity } from "./pkg/auth/identity";

/**
 * The Worker's bindings. Everything the code needs to know about its surroundings comes from here:
 * production values are `wrangler secret`s and `[vars]`; local values come from `.dev.vars` (dev) or
 * the vitest pool's bindings (tests). Code never branches on where it runs.
 */
export type Env = {
  /** Postgres connection string (Neon in production). Secret. */
  DATABASE_URL?: string;
  /** Override of Neon's SQL-over-HTTP endpoint; unset in production. */
  NEON_HTTP_ENDPOINT?: string;
  /** Override of Neon's WebSocket proxy (ws://host:port); unset in production. */
  NEON_WS_PROXY?: string;
  /** Upstash Redis REST endpoint and token. Secrets. */
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  /** Version reported by /api/v1/health. */
  APP_VERSION?: string;
  /** Static site and docs (Astro build output). */
  ASSETS?: Fetcher;
  /** Queues (producers). */
  ENRICHMENT_QUEUE?: Queue;
  CRAWL_QUEUE?: Queue;
  /** Any further configuration a module reads (documented in README's binding table). */
  [key: string]: unknown;
};

/** Per-request values set by middleware. */
export type Variables = {
  requestId: string;
  identity: Identity;
};

export type HonoEnv = { Bindings: Env; Variables: Variables };
