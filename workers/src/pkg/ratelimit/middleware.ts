import type { Context, MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { clientIp } from "../auth/authenticate";
import type { Identity } from "../auth/identity";
import { ApiError, ServiceUnavailableError } from "../errors";
import { setResponseHeaders } from "../hono/set-headers";
import { log } from "../log";
import { apiLimitFor, RateLimitConfigError } from "./config";
import { consume, type Decision, LimiterUnavailableError, rateLimitHeaders, secondsUntil } from "./limiter";

/**
 * Endpoints that issue or manage credentials. When Redis is down they refuse (503) rather than run
 * without brute-force protection; every other endpoint keeps serving, unlimited, with a warning log.
 */
const FAIL_CLOSED_PREFIXES = ["/api/v1/auth/", "/api/v1/tokens", "/api/v1/admin/"];

export function failsClosed(path: string): boolean {
  return FAIL_CLOSED_PREFIXES.some((p) => path.startsWith(p));
}

async function decide(c: Context<HonoEnv>, identity: Identity): Promise<Decision | undefined> {
  try {
    return await consume(c.env, `api:${identity.role}`, apiLimitFor(c.env, identity.role), identity.subject);
  } catch (err) {
    if (err instanceof RateLimitConfigError) throw err;
    if (!(err instanceof LimiterUnavailableError)) throw err;
    if (failsClosed(c.req.path)) {
      log(c, "error", { msg: "rate limiter unavailable; refusing credential endpoint", error: err.message });
      throw new ServiceUnavailableError("Rate limiting is unavailable; try again shortly.");
    }
    log(c, "warn", { msg: "rate limiter unavailable; serving without limit", error: err.message });
    return undefined;
  }
}

function withHeaders(err: unknown, headers: Record<string, string>): unknown {
  if (!(err instanceof ApiError)) return err;
  return new ApiError(err.code, err.message, { details: err.details, headers: { ...headers, ...err.headers } });
}

/**
 * Authenticates, then counts the request against the caller's bucket: an API token's id, a user's id,
 * or the IP address for anonymous callers (and for requests whose credentials were rejected, so
 * guessing tokens is limited like any anonymous traffic). Every answer carries `RateLimit-*` headers;
 * over the limit it is 429 with `Retry-After`.
 */
export function authenticateAndLimit(authenticate: MiddlewareHandler<HonoEnv>): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    let authError: unknown;
    try {
      await authenticate(c, async () => {});
    } catch (err) {
      authError = err;
    }
    const identity: Identity = (!authError && c.get("identity")) || {
      kind: "anonymous",
      role: "anonymous",
      subject: `ip:${clientIp(c.req.raw.headers)}`,
    };
    const decision = await decide(c, identity);
    const headers = decision ? rateLimitHeaders(decision) : {};
    if (decision && !decision.success) {
      const retryAfter = secondsUntil(decision.reset);
      throw new ApiError("RATE_LIMITED", `Too many requests; retry in ${retryAfter} s.`, {
        headers: { ...headers, "Retry-After": String(retryAfter) },
      });
    }
    if (authError) throw withHeaders(authError, headers);
    await next();
    setResponseHeaders(c, headers);
  };
}
