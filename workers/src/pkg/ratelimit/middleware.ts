import type { Context, MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { clientIp } from "../auth/authenticate";
import { isCredentialEndpoint } from "../auth/credential-endpoints";
import type { Identity } from "../auth/identity";
import { ApiError, ServiceUnavailableError } from "../errors";
import { setResponseHeaders } from "../hono/set-headers";
import { log } from "../log";
import { apiLimitFor, RateLimitConfigError } from "./config";
import { consume, type Decision, LimiterUnavailableError, rateLimitHeaders, secondsUntil } from "./limiter";

/**
 * Credential endpoints refuse (503) when Redis is down rather than run without brute-force protection;
 * every other endpoint keeps serving, unlimited, with a warning log.
 */
export const failsClosed = isCredentialEndpoint;

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

/** Methods whose work has no effects to undo: they may start before their count is back. */
const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * Callers this isolate has seen refused, until their window resets. Their reads wait for the count
 * again, so a refused caller costs no work beyond the one request that found out.
 */
const refusedUntil = new Map<string, number>();
const REFUSED_MAX = 10_000;

function recentlyRefused(subject: string): boolean {
  const until = refusedUntil.get(subject);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  refusedUntil.delete(subject);
  return false;
}

function rememberRefusal(subject: string, reset: number): void {
  if (refusedUntil.size >= REFUSED_MAX) {
    const now = Date.now();
    for (const [key, until] of refusedUntil) if (until <= now) refusedUntil.delete(key);
    if (refusedUntil.size >= REFUSED_MAX) refusedUntil.clear();
  }
  refusedUntil.set(subject, reset);
}

/**
 * Authenticates, then counts the request against the caller's bucket: an API token's id, a user's id,
 * or the IP address for anonymous callers (and for requests whose credentials were rejected, so
 * guessing tokens is limited like any anonymous traffic). Every answer carries `RateLimit-*` headers;
 * over the limit it is 429 with `Retry-After`.
 *
 * A read (GET/HEAD, not a credential endpoint) runs while its count is taken, which keeps a Redis
 * round trip off every read; when the count says no, the read's answer is replaced by the 429, and
 * the caller's next reads wait for their count until the window resets. Writes, credential endpoints
 * and rejected credentials are counted before anything else runs.
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
    const concurrent =
      !authError && SAFE_METHODS.has(c.req.method) && !failsClosed(c.req.path) && !recentlyRefused(identity.subject);
    let decision: Decision | undefined;
    if (concurrent) {
      // Both settle before either outcome is used: the read's answer must not land after a 429.
      const [counted] = await Promise.all([
        decide(c, identity).then(
          (d) => ({ d }),
          (error: unknown) => ({ error }),
        ),
        next(),
      ]);
      if ("error" in counted) throw counted.error;
      decision = counted.d;
    } else {
      decision = await decide(c, identity);
    }
    const headers = decision ? rateLimitHeaders(decision) : {};
    if (decision && !decision.success) {
      rememberRefusal(identity.subject, decision.reset);
      // Discard the read's answer: Hono would otherwise carry its headers (ETag, Cache-Control) onto the 429.
      if (concurrent) c.res = undefined;
      const retryAfter = secondsUntil(decision.reset);
      throw new ApiError("RATE_LIMITED", `Too many requests; retry in ${retryAfter} s.`, {
        headers: { ...headers, "Retry-After": String(retryAfter) },
      });
    }
    if (authError) throw withHeaders(authError, headers);
    if (!concurrent) await next();
    setResponseHeaders(c, headers);
  };
}
