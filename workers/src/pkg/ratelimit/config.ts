/**
 * Rate-limit settings, from bindings with defaults in code. `RATE_LIMITS` sets the API limit per role,
 * `LOGIN_RATE_LIMITS` the allowance of failed sign-ins per account and per IP. Both are JSON; any
 * role or key left out keeps its default. Windows use Upstash's duration syntax ("60 s", "15 m", "1 h").
 */
import { z } from "@hono/zod-openapi";
import type { Env } from "../../env";
import type { Role } from "../auth/identity";

export type Duration = `${number} ${"ms" | "s" | "m" | "h" | "d"}`;
export type Limit = { limit: number; window: Duration };

const LimitSchema = z.object({
  limit: z.number().int().positive(),
  window: z
    .string()
    .regex(/^\d+ (ms|s|m|h|d)$/)
    .transform((w) => w as Duration),
});

export const DEFAULT_RATE_LIMITS: Record<Role, Limit> = {
  anonymous: { limit: 120, window: "60 s" },
  user: { limit: 300, window: "60 s" },
  service: { limit: 1200, window: "60 s" },
  admin: { limit: 1200, window: "60 s" },
};

export const DEFAULT_LOGIN_LIMITS = {
  /** Failed sign-ins for one email address. */
  account: { limit: 5, window: "15 m" },
  /** Failed sign-ins from one IP address, across accounts. */
  ip: { limit: 50, window: "15 m" },
} satisfies Record<string, Limit>;

const RateLimitsSchema = z.object({
  anonymous: LimitSchema.optional(),
  user: LimitSchema.optional(),
  service: LimitSchema.optional(),
  admin: LimitSchema.optional(),
});
const LoginLimitsSchema = z.object({ account: LimitSchema.optional(), ip: LimitSchema.optional() });

export class RateLimitConfigError extends Error {}

function parse<T extends z.ZodType>(name: string, raw: unknown, schema: T): z.infer<T> {
  if (raw === undefined || raw === "") return {} as z.infer<T>;
  let json: unknown;
  try {
    json = typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch {
    throw new RateLimitConfigError(`${name} is not valid JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new RateLimitConfigError(`${name} is invalid: ${result.error.issues[0]?.message ?? "?"}`);
  return result.data;
}

/** The API limit for a role. A broken `RATE_LIMITS` is a deployment error: it throws (and the request is a 500). */
export function apiLimitFor(env: Env, role: Role): Limit {
  const configured = parse("RATE_LIMITS", env.RATE_LIMITS, RateLimitsSchema);
  return configured[role] ?? DEFAULT_RATE_LIMITS[role];
}

export function loginLimits(env: Env): { account: Limit; ip: Limit } {
  const configured = parse("LOGIN_RATE_LIMITS", env.LOGIN_RATE_LIMITS, LoginLimitsSchema);
  return {
    account: configured.account ?? (DEFAULT_LOGIN_LIMITS.account as Limit),
    ip: configured.ip ?? (DEFAULT_LOGIN_LIMITS.ip as Limit),
  };
}
