/**
 * Signing in and signing up with a password, shared by the bearer endpoints (`/auth/login`, `/auth/signup`,
 * answers carry the refresh token) and the browser ones (`/auth/browser/*`, the refresh token goes in a cookie).
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { HonoEnv } from "../../../env";
import { decoyPasswordHash, hashPassword, issueSession, type Session, verifyPassword } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";
import { ApiError } from "../../../pkg/errors";
import { clearLoginFailures, countLoginAttempt } from "../../../pkg/ratelimit";

/** The one answer for an unknown email, a wrong password and a disabled account. */
export const LOGIN_FAILED_MESSAGE = "Wrong email or password.";

/** Checks the password (counted against the sign-in limits first) and starts a session. */
export async function signInWithPassword(c: Context<HonoEnv>, email: string, password: string): Promise<Session> {
  await countLoginAttempt(c, email);
  const u = schema.users;
  const [user] = await getDb(c.env)
    .select({ id: u.id, email: u.email, role: u.role, passwordHash: u.passwordHash })
    .from(u)
    .where(and(eq(sql`lower(${u.email})`, email), isNull(u.disabledAt)))
    .limit(1);
  // Hash even when there is no such user, so the answer takes as long as for a wrong password.
  const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !matches) throw new ApiError("UNAUTHORIZED", LOGIN_FAILED_MESSAGE);
  await clearLoginFailures(c, email);
  return issueSession(c.env, { id: user.id, email: user.email, role: user.role, hasPassword: true });
}

/** Creates a `user` account and starts its session; 409 when the email is taken. */
export async function signUpWithPassword(c: Context<HonoEnv>, email: string, password: string): Promise<Session> {
  const u = schema.users;
  const [user] = await getDb(c.env)
    .insert(u)
    .values({ email, passwordHash: await hashPassword(password), role: "user" })
    .onConflictDoNothing()
    .returning({ id: u.id, email: u.email, role: u.role });
  if (!user) throw new ApiError("CONFLICT", "An account with this email already exists.");
  return issueSession(c.env, { ...user, hasPassword: true });
}
