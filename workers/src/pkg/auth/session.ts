/**
 * Sign-in sessions: a short-lived access JWT plus an opaque refresh token (`plr_…`, stored as SHA-256
 * only). Refreshing rotates the refresh token; all tokens of one sign-in share a `family_id`, and
 * presenting a token that was already rotated away (a sign it was stolen and replayed) revokes the
 * whole family, so both the thief and the victim must sign in again.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Env } from "../../env";
import { getDb, schema } from "../db";
import { ApiError } from "../errors";
import { sha256Hex } from "./api-token";
import type { Role } from "./identity";
import { signAccessToken } from "./jwt";
import { hasPassword } from "./password";

export const REFRESH_TOKEN_PREFIX = "plr_";
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const INVALID_REFRESH = "Invalid or expired refresh token.";

/** `hasPassword`: whether the account has a password of its own (one made through a provider may not). */
export type SessionUser = { id: string; email: string; role: string; hasPassword: boolean };

export type Session = {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
  user: { id: string; email: string; role: Exclude<Role, "anonymous">; has_password: boolean };
};

function newRefreshToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return (
    REFRESH_TOKEN_PREFIX +
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "")
  );
}

/** Starts (or, with `familyId`, continues) a session for a user. */
export async function issueSession(env: Env, user: SessionUser, familyId: string = crypto.randomUUID()): Promise<Session> {
  const role = user.role as Exclude<Role, "anonymous">;
  const refresh = newRefreshToken();
  await getDb(env)
    .insert(schema.refreshTokens)
    .values({
      userId: user.id,
      tokenHash: await sha256Hex(refresh),
      familyId,
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000),
    });
  const access = await signAccessToken(env, { userId: user.id, role });
  return {
    access_token: access.token,
    token_type: "Bearer",
    expires_in: access.expiresIn,
    refresh_token: refresh,
    refresh_expires_in: REFRESH_TOKEN_TTL_SECONDS,
    user: { id: user.id, email: user.email, role, has_password: user.hasPassword },
  };
}

async function revokeFamily(env: Env, familyId: string): Promise<void> {
  const t = schema.refreshTokens;
  await getDb(env)
    .update(t)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(t.familyId, familyId), isNull(t.revokedAt)));
}

/**
 * Exchanges a refresh token for a new session in the same family. The old token is claimed with one
 * conditional UPDATE, so two concurrent refreshes with the same token cannot both succeed.
 */
export async function rotateSession(
  env: Env,
  refreshToken: string,
): Promise<{ session: Session; reuse: false } | { reuse: true }> {
  const db = getDb(env);
  const t = schema.refreshTokens;
  const hash = await sha256Hex(refreshToken);
  const [claimed] = await db
    .update(t)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(t.tokenHash, hash), isNull(t.revokedAt), gt(t.expiresAt, sql`now()`)))
    .returning({ userId: t.userId, familyId: t.familyId });
  if (!claimed) {
    const [spent] = await db
      .select({ familyId: t.familyId })
      .from(t)
      .where(and(eq(t.tokenHash, hash), sql`${t.revokedAt} IS NOT NULL`))
      .limit(1);
    if (spent) {
      await revokeFamily(env, spent.familyId);
      return { reuse: true };
    }
    throw new ApiError("UNAUTHORIZED", INVALID_REFRESH);
  }
  const u = schema.users;
  const [user] = await db
    .select({ id: u.id, email: u.email, role: u.role, passwordHash: u.passwordHash })
    .from(u)
    .where(and(eq(u.id, claimed.userId), isNull(u.disabledAt)))
    .limit(1);
  if (!user) {
    await revokeFamily(env, claimed.familyId);
    throw new ApiError("UNAUTHORIZED", INVALID_REFRESH);
  }
  const { passwordHash, ...who } = user;
  return { session: await issueSession(env, { ...who, hasPassword: hasPassword(passwordHash) }, claimed.familyId), reuse: false };
}

/** Ends the sign-in the refresh token belongs to (every token of its family). Unknown tokens are ignored. */
export async function endSession(env: Env, refreshToken: string): Promise<void> {
  const t = schema.refreshTokens;
  const [row] = await getDb(env)
    .select({ familyId: t.familyId })
    .from(t)
    .where(eq(t.tokenHash, await sha256Hex(refreshToken)))
    .limit(1);
  if (row) await revokeFamily(env, row.familyId);
}
