import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { setResponseHeaders } from "./set-headers";

const ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Request-Id";
const EXPOSE_HEADERS = "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, X-Request-Id, Idempotent-Replayed";
const ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/**
 * `CORS_ALLOWED_ORIGINS`: comma-separated origins (`https://app.example.com`). Listed origins may call
 * the API from a browser with credentials. The entry `*` additionally lets any other origin read the
 * API without credentials. Anything else gets no CORS headers, so browsers block it.
 */
export function allowedOrigins(raw: unknown): { listed: Set<string>; anyOrigin: boolean } {
  const entries =
    typeof raw === "string"
      ? raw
          .split(",")
          .map((o) => o.trim().replace(/\/+$/, ""))
          .filter(Boolean)
      : [];
  return { listed: new Set(entries.filter((o) => o !== "*")), anyOrigin: entries.includes("*") };
}

function corsHeaders(origin: string | undefined, raw: unknown): Record<string, string> | undefined {
  if (!origin) return undefined;
  const { listed, anyOrigin } = allowedOrigins(raw);
  if (listed.has(origin)) {
    return { "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true" };
  }
  if (anyOrigin) return { "Access-Control-Allow-Origin": "*" };
  return undefined;
}

export function cors(): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    const headers = corsHeaders(origin, c.env.CORS_ALLOWED_ORIGINS);
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      const res = new Response(null, { status: 204, headers: { Vary: "Origin" } });
      if (headers) {
        for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
        res.headers.set("Access-Control-Allow-Methods", ALLOW_METHODS);
        res.headers.set("Access-Control-Allow-Headers", ALLOW_HEADERS);
        res.headers.set("Access-Control-Max-Age", "600");
      }
      return res;
    }
    await next();
    setResponseHeaders(c, { Vary: "Origin" }, { append: true });
    if (headers) setResponseHeaders(c, { ...headers, "Access-Control-Expose-Headers": EXPOSE_HEADERS });
  };
}
