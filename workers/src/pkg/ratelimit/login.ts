/**
 * Sign-in attempts are limited per account and per IP. Each attempt is counted *before* the password
 * is checked, atomically in Redis, so a burst of parallel guesses cannot slip past the limit; a
 * successful sign-in then clears the account's count, so in effect only failures accumulate against
 * an account. Once either allowance is used up, attempts get 429 without the password being checked.
 * Redis being down fails closed (503): without the limiter, sign-in would be open to guessing.
 */
import type { Context } from "hono";
import type { HonoEnv } from "../../env";
import { sha256Hex } from "../auth/api-token";
import { clientIp } from "../auth/authenticate";
import { ApiError, ServiceUnavailableError } from "../errors";
import { log } from "../log";
import { loginLimits } from "./config";
import { consume, LimiterUnavailableError, reset, secondsUntil } from "./limiter";

async function buckets(c: Context<HonoEnv>, email: string) {
  const limits = loginLimits(c.env);
  // Keys carry a hash of the address, not the address itself.
  const account = `email:${await sha256Hex(email.trim().toLowerCase())}`;
  const ip = `ip:${clientIp(c.req.raw.headers)}`;
  return {
    account: { bucket: "login:account", config: limits.account, id: account },
    ip: { bucket: "login:ip", config: limits.ip, id: ip },
  };
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

/** Counts a sign-in attempt; throws 429 (with Retry-After) when the account or the IP is over its allowance. */
export async function countLoginAttempt(c: Context<HonoEnv>, email: string): Promise<void> {
  const { account, ip } = await buckets(c, email);
  const decisions = await guarded(c, () => Promise.all([account, ip].map((b) => consume(c.env, b.bucket, b.config, b.id))));
  const blocked = decisions.filter((d) => !d.success);
  if (blocked.length === 0) return;
  const retryAfter = Math.max(...blocked.map((d) => secondsUntil(d.reset)));
  throw new ApiError("RATE_LIMITED", `Too many sign-in attempts; retry in ${retryAfter} s.`, {
    headers: { "Retry-After": String(retryAfter) },
  });
}

/**
 * Counts a sign-in that has no password to guess (an OpenID Connect callback) against the IP's allowance
 * only: the same 429 once the IP has used it up, so a flood of forged or replayed callbacks is cut off
 * like a flood of password guesses. Returns the seconds to wait when over the limit.
 */
export async function countIpSignInAttempt(c: Context<HonoEnv>): Promise<number | undefined> {
  const { ip } = await buckets(c, "");
  const decision = await guarded(c, () => consume(c.env, ip.bucket, ip.config, ip.id));
  return decision.success ? undefined : secondsUntil(decision.reset);
}

/** A successful sign-in forgives the account's earlier failures (not the IP's attempts). */
export async function clearLoginFailures(c: Context<HonoEnv>, email: string): Promise<void> {
  const { account } = await buckets(c, email);
  await guarded(c, () => reset(c.env, account.bucket, account.config, account.id));
}
