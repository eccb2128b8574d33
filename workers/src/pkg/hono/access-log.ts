import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { HonoEnv } from "../../env";
import { log } from "../log";

/** The registered pattern that answered (`/api/v1/tokens/:id`), never the raw path or query string. */
function routePattern(c: Parameters<MiddlewareHandler<HonoEnv>>[0]): string {
  const route = matchedRoutes(c)
    .filter((r) => r.method !== "ALL")
    .at(-1);
  return route?.path ?? "(unmatched)";
}

/**
 * One JSON line per request: method, route pattern, status, duration and who called (identity kind and
 * role, never a credential). Headers, bodies, paths with query strings and tokens are never logged.
 */
export function accessLog(): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const identity = c.get("identity");
    log(c, c.res.status >= 500 ? "error" : "info", {
      msg: "request",
      method: c.req.method,
      route: routePattern(c),
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      identity: identity?.kind ?? "rejected",
      role: identity?.role,
    });
  };
}
