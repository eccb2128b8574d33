/**
 * HTTP caching for GET responses: an `ETag` (a hash of the body) and a `Cache-Control`, and a 304
 * with no body when the client's `If-None-Match` already names that ETag. Clients and CDNs must
 * revalidate (`no-cache`), because the Redis cache makes revalidation cheap while `max-age` would
 * hide writes that the API promises are visible at once.
 */
import type { Context, MiddlewareHandler, TypedResponse } from "hono";
import type { HonoEnv } from "../../env";
import { type CachedBody, etagOf } from "./query-cache";

export const DEFAULT_CACHE_CONTROL = "public, no-cache";

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const weak = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || weak(t) === weak(etag));
}

/**
 * A 200 JSON response from a cached body: its bytes as stored, its ETag as computed when it was stored.
 * Typed as the JSON response of `T` (the body is `T` serialised), so routes keep their schema check.
 */
export function cachedJsonResponse<T>(c: Context, { body, etag, cache }: CachedBody<T>) {
  const res = c.body(body, 200, { "Content-Type": "application/json" });
  // On the response itself, not through c.header(): headers set that way outlive this response, and a
  // read refused by the rate limiter after it ran would carry them onto its 429.
  res.headers.set("ETag", etag);
  res.headers.set("X-Cache", cache);
  return res as unknown as Response & TypedResponse<T, 200, "json">;
}

export function conditionalGet(cacheControl = DEFAULT_CACHE_CONTROL): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    await next();
    if (c.req.method !== "GET" || c.res.status !== 200) return;
    // A cached body arrives with its ETag; anything else is hashed here.
    const etag = c.res.headers.get("ETag") ?? (await etagOf(await c.res.clone().text()));
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", cacheControl);
    c.res.headers.set("ETag", etag);
    if (matches(c.req.header("if-none-match"), etag)) {
      const headers = new Headers(c.res.headers);
      headers.delete("Content-Type");
      headers.delete("Content-Length");
      c.res = new Response(null, { status: 304, headers });
    }
  };
}
