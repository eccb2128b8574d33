import type { Identity } from "./pkg/auth/identity";

/**
 * The Worker's bindings. Everything the code needs to know about its surroundings comes from here:
 * production values are `wrangler secret`s and `[vars]`; local values come from `.dev.vars` and
 * `--var` (dev) or the vitest plugin's bindings (tests). Code never branches on where it runs.
 *
 * Every binding declared in wrangler.toml (queues, assets, the Durable Object, `[vars]` and the
 * required `[secrets]`) is typed by `Cloudflare.Env`, which `npm run types` (`wrangler types`) writes to
 * workers/worker-configuration.d.ts; `npm run types:check` (run by CI) fails when that file no longer
 * matches the config. Only settings that are deliberately absent from wrangler.toml are declared here.
 */
export type Env = Cloudflare.Env & OptionalSettings;

/** Optional settings: unset means the documented default (README, "Configuration"). */
export type OptionalSettings = {
  /** Override of Neon's SQL-over-HTTP endpoint; unset in production. */
  NEON_HTTP_ENDPOINT?: string;
  /** Override of Neon's WebSocket proxy (ws://host:port); unset in production. */
  NEON_WS_PROXY?: string;
  /** Longest wait for one Postgres query, connection or statement, ms (default 10000; pkg/backend/bounds.ts). */
  DB_TIMEOUT_MS?: string;
  /** Longest wait for one Redis command, ms (default 2000; pkg/backend/bounds.ts). */
  REDIS_TIMEOUT_MS?: string;
  /** `iss` and `aud` of access JWTs (defaults "pillow" and "pillow-api"). */
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  /** API rate limits per role, JSON `{"user":{"limit":300,"window":"60 s"},…}`; defaults in pkg/ratelimit. */
  RATE_LIMITS?: string;
  /** Failed sign-in allowance, JSON `{"account":{…},"ip":{…}}`; defaults in pkg/ratelimit. */
  LOGIN_RATE_LIMITS?: string;
  /** Comma-separated browser origins allowed to call the API with credentials (`*` = any, without). */
  CORS_ALLOWED_ORIGINS?: string;
  /** Connectors: JSON array of crawl jobs `{connector, location, pages?, max?, base_url?, settings?}` (docs/connectors.md). */
  CRAWL_SCHEDULE?: string;
  /** Connectors: page where site owners read about the crawler (in its User-Agent). */
  CRAWL_CONTACT_URL?: string;
  /** Connectors: minimum delay between requests to one host, ms (default 2000). */
  CRAWL_MIN_DELAY_MS?: string;
  /** Connectors: base of the exponential backoff on 429/5xx, ms (default 2000). */
  CRAWL_BACKOFF_BASE_MS?: string;
  /** Connectors: hosts exempt from the SSRF guard, comma-separated. Tests only (the fixture site). */
  CRAWL_ALLOW_HOSTS?: string;
  /** Edge identity cache: seconds a valid API token's identity is reused without a database lookup (pkg/auth/identity-cache.ts). */
  TOKEN_IDENTITY_TTL_SECONDS?: string;
  /** Any further optional setting a module reads by name (NOMINATIM_*, ENRICHMENT_*; README's binding table). */
  [key: string]: unknown;
};

/** Per-request values set by middleware. */
export type Variables = {
  requestId: string;
  identity: Identity;
};

export type HonoEnv = { Bindings: Env; Variables: Variables };
