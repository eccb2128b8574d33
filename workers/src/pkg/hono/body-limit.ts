/**
 * Request body size limits. Every write to `/api/*` is capped at `DEFAULT_BODY_LIMIT_BYTES`; a route
 * that needs more (the ingest batch) raises its own cap with `allowBodyUpTo(pattern, bytes)` when it
 * registers. Bodies over the cap are 413 PAYLOAD_TOO_LARGE, whether they declare a Content-Length or
 * stream without one.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { matchedRoutes } from "hono/route";
import type { HonoEnv } from "../../env";
import { ApiError } from "../errors";

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const DEFAULT_BODY_LIMIT_BYTES = 64 * KiB;

/** Route pattern (as registered, e.g. `/api/v1/ingest/batch`) → its larger cap. */
const raisedLimits = new Map<string, number>();

/** Lets one route accept bodies up to `bytes`; call it from the route's `registerX(app)`. */
export function allowBodyUpTo(routePattern: string, bytes: number): void {
  raisedLimits.set(routePattern.replace(/\{(\w+)\}/g, ":$1"), bytes);
}

export function bodyLimitFor(patterns: string[]): number {
  let limit = DEFAULT_BODY_LIMIT_BYTES;
  for (const p of patterns) limit = Math.max(limit, raisedLimits.get(p) ?? 0);
  return limit;
}

function formatBytes(n: number): string {
  return n >= MiB ? `${n / MiB} MiB` : `${n / KiB} KiB`;
}

/** Applies the cap of the matched route (the default unless the route raised it). */
export function limitRequestBodies(): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
    const maxSize = bodyLimitFor(matchedRoutes(c).map((r) => r.path));
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError("PAYLOAD_TOO_LARGE", `The request body exceeds ${formatBytes(maxSize)}.`);
      },
    })(c, next);
  };
}
