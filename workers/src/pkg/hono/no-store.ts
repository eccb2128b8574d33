import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { isCredentialEndpoint } from "../auth/credential-endpoints";
import { setResponseHeaders } from "./set-headers";

/**
 * Answers of credential endpoints (tokens, sessions, refresh tokens) must not be kept by any cache or
 * the browser's history: `Cache-Control: no-store` on every one of them, errors included, overriding
 * whatever a handler set (RFC 6749 §5.1). `Pragma: no-cache` is for HTTP/1.0 caches.
 */
export function noStoreForCredentials(): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    await next();
    if (isCredentialEndpoint(c.req.path)) setResponseHeaders(c, { "Cache-Control": "no-store", Pragma: "no-cache" });
  };
}
