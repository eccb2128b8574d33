/**
 * How long the edge may answer anonymous reads without asking the data region, and which reads.
 * docs/guides/deploying.md ("Placement and the edge cache") states the bound these numbers give.
 */

/**
 * Seconds an edge answer is served as it is, then seconds it is still served while one refresh runs in
 * the background (stale-while-revalidate). Their sum bounds how old an anonymous answer can be in a
 * data centre other than the writer's; in the writer's own data centre every write ends the entries at
 * once (see generation.ts). Open search pages do not depend on it: the live-updates hub pushes each
 * write to them as it happens, so only a page (re)loaded after a write sees the cached answer, and
 * 10 + 20 s keeps that well inside the time a reader takes to reload.
 */
export const DEFAULT_FRESH_SECONDS = 10;
export const DEFAULT_STALE_SECONDS = 20;

function seconds(raw: unknown, fallback: number): number {
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export type EdgeSettings = { freshMs: number; staleMs: number };

/**
 * The bindings the edge layer reads. It runs in the front Worker (workers/src/front.ts), whose only other
 * binding is the service binding to the data Worker, so it asks for these alone.
 */
export type EdgeEnv = {
  EDGE_CACHE_FRESH_SECONDS?: unknown;
  EDGE_CACHE_STALE_SECONDS?: unknown;
  /** Workers rate-limiting binding counting edge answers per IP (`[[ratelimits]]` of the front Worker). */
  EDGE_RATE_LIMITER?: RateLimit;
};

/** `EDGE_CACHE_FRESH_SECONDS` / `EDGE_CACHE_STALE_SECONDS` (README, Configuration); 0 fresh turns the edge cache off. */
export function edgeSettings(env: EdgeEnv): EdgeSettings {
  return {
    freshMs: seconds(env.EDGE_CACHE_FRESH_SECONDS, DEFAULT_FRESH_SECONDS) * 1000,
    staleMs: seconds(env.EDGE_CACHE_STALE_SECONDS, DEFAULT_STALE_SECONDS) * 1000,
  };
}

/** Public reads whose answer depends only on the URL: search, detail, stats, facets and tiles. */
const CACHEABLE_PATHS = [
  /^\/api\/v1\/properties$/,
  /^\/api\/v1\/properties\/[^/]+$/,
  /^\/api\/v1\/stats$/,
  /^\/api\/v1\/facets$/,
  /^\/api\/v1\/tiles\/\d+\/\d+\/[^/]+$/,
];

/**
 * A request the edge may answer: an anonymous GET of a cacheable path. Anything carrying credentials
 * goes to the data plane (its answer depends on who asks), as do requests the caller wants fresh
 * (`Cache-Control: no-cache`, `Pragma: no-cache`); those are looked up nowhere but still refresh the entry.
 */
export function edgeCacheable(request: Request, url: URL): boolean {
  if (request.method !== "GET") return false;
  if (request.headers.has("authorization") || request.headers.has("cookie")) return false;
  return CACHEABLE_PATHS.some((p) => p.test(url.pathname));
}

export function wantsFresh(request: Request): boolean {
  const cc = request.headers.get("cache-control")?.toLowerCase() ?? "";
  return /\b(no-cache|no-store|max-age=0)\b/.test(cc) || request.headers.get("pragma")?.toLowerCase() === "no-cache";
}
