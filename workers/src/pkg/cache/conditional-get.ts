/**
 * HTTP caching for GET responses: an `ETag` (a hash of the body) and a `Cache-Control`, and a 304
 * with no body when the client's `If-None-Match` already names that ETag. Clients and CDNs must
 * revalidate (`no-cache`), because the Redis cache makes revalidation cheap while `max-age` would
 * hide writes that the API promises are visible at once.
 */
import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { sha256Hex } from "./query-cache";

export const DEFAULT_CACHE_CONTROL = "public, no-cache";

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const weak = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || weak(t) === weak(etag));
}

export function conditionalGet(cacheControl = DEFAULT_CACHE_CONTROL): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    await next();
    if (c.req.method !== "GET" || c.res.status !== 200) return;
    const body = await c.res.clone().text();
    const etag = `"${(await sha256Hex(body)).slice(0, 32)}"`;
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
