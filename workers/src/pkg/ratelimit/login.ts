/**
 * Failed sign-ins are limited per account and per IP. Only failures count: a user who types the
 * password right is never locked out by their own successes. When either allowance is used up, further
 * attempts get 429 without the password even being checked. Redis being down fails closed (503).
 */
import type { Context } from "hono";
import type { HonoEnv } from "../../env";
import { sha256Hex } from "../auth/api-token";
import { clientIp } from "../auth/authenticate";
import { ApiError, ServiceUnavailableError } from "../errors";
import { log } from "../log";
import { loginLimits } from "./config";
import { consume, LimiterUnavailableError, peek, reset, secondsUntil } from "./limiter";

async function buckets(c: Context<HonoEnv>, email: string) {
  const limits = loginLimits(c.env);
  // Keys carry a hash of the address, not the address itself.
  const account = `email:${await sha256Hex(email.trim().toLowerCase())}`;
  const ip = `ip:${clientIp(c.req.raw.headers)}`;
  return [
    { bucket: "login:account", config: limits.account, id: account },
    { bucket: "login:ip", config: limits.ip, id: ip },
  ];
}

async function guarded<T>(c: Context<HonoEnv>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof LimiterUnavailableError)) throw err;
    log(c, "error", { msg: "login limiter unavailable; refusing sign-in", error: err.message });
    throw new ServiceUnavailableError("Sign-in is temporarily unavailable; try again shortly.");
  }
}

/** Throws 429 when the account or the IP has no failed attempts left in its window. */
export async function assertLoginAllowed(c: Context<HonoEnv>, email: string): Promise<void> {
  const checks = await buckets(c, email);
  const states = await guarded(c, () => Promise.all(checks.map((b) => peek(c.env, b.bucket, b.config, b.id))));
  const blocked = states.filter((s) => s.remaining <= 0);
  if (blocked.length === 0) return;
  const retryAfter = Math.max(...blocked.map((s) => secondsUntil(s.reset)));
  throw new ApiError("RATE_LIMITED", `Too many failed sign-ins; retry in ${retryAfter} s.`, {
    headers: { "Retry-After": String(retryAfter) },
  });
}

export async function recordLoginFailure(c: Context<HonoEnv>, email: string): Promise<void> {
  const checks = await buckets(c, email);
  await guarded(c, () => Promise.all(checks.map((b) => consume(c.env, b.bucket, b.config, b.id))));
}

/** A successful sign-in forgives the account's earlier failures (not the IP's). */
export async function clearLoginFailures(c: Context<HonoEnv>, email: string): Promise<void> {
  const [account] = await buckets(c, email);
  if (account) await guarded(c, () => reset(c.env, account.bucket, account.config, account.id));
}
