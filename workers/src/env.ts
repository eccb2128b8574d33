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
  /** Signing key for access JWTs: one private JWK (ES256) with `kid`. Secret. */
  JWT_PRIVATE_KEY?: string;
  /** Verification keys for access JWTs: a JWKS `{keys:[…]}`, selected by `kid` (rotation). */
  JWT_PUBLIC_KEYS?: string;
  /** `iss` and `aud` of access JWTs (defaults "pillow" and "pillow-api"). */
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  /** API rate limits per role, JSON `{"user":{"limit":300,"window":"60 s"},…}`; defaults in pkg/ratelimit. */
  RATE_LIMITS?: string;
  /** Failed sign-in allowance, JSON `{"account":{…},"ip":{…}}`; defaults in pkg/ratelimit. */
  LOGIN_RATE_LIMITS?: string;
  /** Comma-separated browser origins allowed to call the API with credentials (`*` = any, without). */
  CORS_ALLOWED_ORIGINS?: string;
  /** Version reported by /api/v1/health. */
  APP_VERSION?: string;
  /** Static site and docs (Astro build output). */
  ASSETS?: Fetcher;
  /** Durable Object that holds the live-update (SSE) subscribers of open search pages. */
  LIVE_HUB?: DurableObjectNamespace;
  /** Queues (producers). */
  ENRICHMENT_QUEUE?: Queue;
  CRAWL_QUEUE?: Queue;
  /** Connectors: JSON array of crawl jobs `{connector, location, pages?, max?, base_url?, settings?}` (docs/connectors.md). */
  CRAWL_SCHEDULE?: string;
  /** Connectors: service token the crawl consumer submits with (a `service` API token). Secret. */
  CRAWLER_MILL_TOKEN?: string;
  /** Connectors: page where site owners read about the crawler (in its User-Agent). */
  CRAWL_CONTACT_URL?: string;
  /** Connectors: minimum delay between requests to one host, ms (default 2000). */
  CRAWL_MIN_DELAY_MS?: string;
  /** Connectors: base of the exponential backoff on 429/5xx, ms (default 2000). */
  CRAWL_BACKOFF_BASE_MS?: string;
  /** Connectors: hosts exempt from the SSRF guard, comma-separated. Tests only (the fixture site). */
  CRAWL_ALLOW_HOSTS?: string;
  /** Any further configuration a module reads (documented in README's binding table). */
  [key: string]: unknown;
};

/** Per-request values set by middleware. */
export type Variables = {
  requestId: string;
  identity: Identity;
};

export type HonoEnv = { Bindings: Env; Variables: Variables };
