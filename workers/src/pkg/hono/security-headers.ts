import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { setResponseHeaders } from "./set-headers";

/**
 * Headers on every response the Worker itself produces (the API). The site's static pages are served
 * by the ASSETS binding before the Worker runs; their headers, including the page CSP, are in
 * `site/public/_headers`.
 */
export const API_SECURITY_HEADERS: Record<string, string> = {
  "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  // JSON is never a document: nothing may load, run or frame it.
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Resource-Policy": "same-site",
};

export function securityHeaders(): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    await next();
    setResponseHeaders(c, Object.fromEntries(Object.entries(API_SECURITY_HEADERS).filter(([k]) => !c.res.headers.has(k))));
  };
}
