/**
 * The edge layer in front of the API: anonymous reads answered from the Cloudflare Cache API of the data
 * centre the request reached, with no trip to Redis or Postgres; everything else handed to `origin`
 * (in production the data Worker placed near the data, over the front Worker's service binding). docs/guides/deploying.md ("Placement and the edge cache") describes
 * the freshness bound, stale-while-revalidate and the rate limit on edge answers.
 */
import { log } from "../log";
import { currentGeneration, EDGE_CACHE_ORIGIN, edgeCache } from "./generation";
import { type EdgeEnv, type EdgeSettings, edgeCacheable, edgeSettings, wantsFresh } from "./settings";

export type Origin = (request: Request) => Promise<Response>;
export type EdgeOutcome = "hit" | "stale" | "miss" | "bypass";

/** Headers that belong to one answer, never to a stored copy. */
const PER_REQUEST_HEADERS = [
  "x-request-id",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "retry-after",
  "set-cookie",
];
const STORED_AT = "x-edge-stored-at";
const CLIENT_CACHE_CONTROL = "x-edge-client-cache-control";
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Refreshes under way in this isolate: one per entry, however many readers find it stale. */
const refreshing = new Set<string>();

/**
 * The entry's key: the generation, the caller's Origin (CORS headers differ by it) and the URL with its
 * parameters sorted, so `?a=1&b=2` and `?b=2&a=1` are one entry, as they are in the Redis cache.
 */
function cacheKey(url: URL, request: Request, generation: string): string {
  const params = [...url.searchParams].sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1));
  const query = new URLSearchParams(params).toString();
  const origin = encodeURIComponent(request.headers.get("origin") ?? "-");
  return `${EDGE_CACHE_ORIGIN}/${generation}/${origin}${url.pathname}${query ? `?${query}` : ""}`;
}

function matches(ifNoneMatch: string | null, etag: string | null): boolean {
  if (!ifNoneMatch || !etag) return false;
  const weak = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || weak(t) === weak(etag));
}

/** The copy kept at the edge: the answer without its per-request headers, held for fresh + stale. */
function storedCopy(res: Response, settings: EdgeSettings): Response {
  const headers = new Headers(res.headers);
  for (const h of PER_REQUEST_HEADERS) headers.delete(h);
  headers.set(CLIENT_CACHE_CONTROL, res.headers.get("cache-control") ?? "public, no-cache");
  headers.set(STORED_AT, String(Date.now()));
  headers.set("Cache-Control", `public, max-age=${Math.ceil((settings.freshMs + settings.staleMs) / 1000)}`);
  return new Response(res.body, { status: 200, headers });
}

/** Only complete public 200s are kept; a `private` or `no-store` answer never is. */
function storable(res: Response): boolean {
  if (res.status !== 200) return false;
  const cc = res.headers.get("cache-control")?.toLowerCase() ?? "";
  return !/\b(private|no-store)\b/.test(cc);
}

/** The stored copy as this caller's answer: a fresh request id, the client's Cache-Control, 304 when its ETag matches. */
function answerFrom(stored: Response, request: Request, outcome: EdgeOutcome, ageMs: number): Response {
  const headers = new Headers(stored.headers);
  headers.set("Cache-Control", stored.headers.get(CLIENT_CACHE_CONTROL) ?? "public, no-cache");
  headers.delete(CLIENT_CACHE_CONTROL);
  headers.delete(STORED_AT);
  const given = request.headers.get("x-request-id");
  headers.set("X-Request-Id", given && SAFE_ID.test(given) ? given : crypto.randomUUID());
  headers.set("X-Cache", "hit");
  headers.set("X-Edge-Cache", outcome);
  headers.set("Age", String(Math.floor(ageMs / 1000)));
  if (matches(request.headers.get("if-none-match"), headers.get("etag"))) {
    headers.delete("Content-Type");
    headers.delete("Content-Length");
    return new Response(null, { status: 304, headers });
  }
  return new Response(stored.body, { status: 200, headers });
}

/**
 * Anonymous cacheable reads are counted by the Workers rate-limiting binding, which is local to the data
 * centre (no round trip). A caller over its allowance is not refused here: its request goes on to the data plane,
 * whose Redis limit decides with exact `RateLimit-*` headers and the 429. Without the binding (it is
 * optional), edge answers are not limited.
 */
async function withinEdgeAllowance(env: EdgeEnv, request: Request): Promise<boolean> {
  const limiter = env.EDGE_RATE_LIMITER;
  if (!limiter) return true;
  const ip = request.headers.get("cf-connecting-ip") ?? request.headers.get("x-real-ip") ?? "unknown";
  try {
    return (await limiter.limit({ key: `ip:${ip}` })).success;
  } catch {
    return false;
  }
}

async function store(cache: Cache, key: string, res: Response, settings: EdgeSettings): Promise<void> {
  try {
    await cache.put(key, storedCopy(res, settings));
  } catch (err) {
    log(undefined, "warn", { msg: "could not write edge cache entry", error: (err as Error).message });
  }
}

/** A background refresh: the same read without the caller's conditional or no-cache headers. */
function refresh(cache: Cache, key: string, request: Request, origin: Origin, settings: EdgeSettings): Promise<void> {
  if (refreshing.has(key)) return Promise.resolve();
  refreshing.add(key);
  const headers = new Headers(request.headers);
  for (const h of ["if-none-match", "if-modified-since", "cache-control", "pragma"]) headers.delete(h);
  return origin(new Request(request.url, { method: "GET", headers }))
    .then((res) => (storable(res) ? store(cache, key, res, settings) : res.body?.cancel()))
    .catch((err: Error) => log(undefined, "warn", { msg: "edge cache refresh failed", error: err.message }))
    .finally(() => refreshing.delete(key));
}

function accessLog(request: Request, url: URL, res: Response, outcome: EdgeOutcome, started: number): void {
  log(undefined, "info", {
    request_id: res.headers.get("x-request-id"),
    msg: "request",
    method: request.method,
    route: url.pathname.startsWith("/api/v1/tiles/")
      ? "/api/v1/tiles/:z/:x/:y"
      : url.pathname.replace(/^(\/api\/v1\/properties)\/[^/]+$/, "$1/:id"),
    status: res.status,
    duration_ms: Math.round((performance.now() - started) * 10) / 10,
    identity: "anonymous",
    role: "anonymous",
    edge: outcome,
  });
}

/**
 * Answers `request` at the edge when it can, otherwise from `origin`. A hit within the fresh window is
 * served as it is; within the stale window it is served and refreshed after the answer (`waitUntil`),
 * so no reader waits for a refresh. A miss is answered by `origin` and its answer stored after it is sent.
 */
export async function edgeFetch(request: Request, env: EdgeEnv, ctx: ExecutionContext, origin: Origin): Promise<Response> {
  const url = new URL(request.url);
  const settings = edgeSettings(env);
  const cache = edgeCache();
  if (settings.freshMs <= 0 || !cache || !edgeCacheable(request, url)) return origin(request);
  const started = performance.now();
  // The allowance is asked while the cache is looked at: both are local, and one after the other they
  // would add up. So every anonymous cacheable read counts against it, answered at the edge or not.
  const allowance = wantsFresh(request) ? undefined : withinEdgeAllowance(env, request);
  const key = cacheKey(url, request, await currentGeneration());
  if (allowance) {
    const stored = await cache.match(key);
    if (stored) {
      const ageMs = Date.now() - Number(stored.headers.get(STORED_AT) ?? 0);
      if (ageMs <= settings.freshMs + settings.staleMs && (await allowance)) {
        const outcome: EdgeOutcome = ageMs <= settings.freshMs ? "hit" : "stale";
        if (outcome === "stale") ctx.waitUntil(refresh(cache, key, request, origin, settings));
        const res = answerFrom(stored, request, outcome, ageMs);
        accessLog(request, url, res, outcome, started);
        return res;
      }
      await stored.body?.cancel();
    }
  }
  const res = await origin(request);
  if (!storable(res)) return res;
  ctx.waitUntil(store(cache, key, res.clone(), settings));
  const answer = new Response(res.body, res);
  answer.headers.set("X-Edge-Cache", wantsFresh(request) ? "bypass" : "miss");
  return answer;
}
