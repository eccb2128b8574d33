/**
 * Changing the password and deleting the account are confirmed again, so a stolen API key or an unattended
 * signed-in browser cannot take the account over or erase it (docs/auth.md "Account changes"):
 * - an account with a password confirms with it;
 * - an account without one (made through an OpenID Connect provider) has nothing to re-enter: it may set a
 *   first password, and confirms deletion by typing its email address exactly. Both need a signed-in
 *   session (an access JWT, which only a sign-in through the provider gives such an account): an API key
 *   alone would otherwise be enough to take it over.
 * Every confirmation counts against the sign-in limits like a password guess.
 */
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { HonoEnv } from "../../../env";
import { hasPassword, verifyPassword } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";
import { ApiError } from "../../../pkg/errors";
import { clearLoginFailures, countLoginAttempt } from "../../../pkg/ratelimit";
import { ownerOf } from "../tokens/schema";

export const WRONG_CURRENT_PASSWORD = "The current password is wrong.";
export const CURRENT_PASSWORD_NEEDED = "This account has a password: give the current one as current_password.";
export const NO_PASSWORD_YET = "This account has no password yet: leave current_password out to set one.";
export const PASSWORD_NEEDED = "This account has a password: confirm with it (password), not with the email address.";
export const CONFIRM_EMAIL_NEEDED = "This account has no password: confirm by typing its email address exactly (confirm_email).";
export const WRONG_CONFIRM_EMAIL = "The email address typed does not match the account's.";
export const SESSION_NEEDED =
  "An account without a password confirms this from a signed-in session (sign in through your provider), not with an API key.";

/** The caller's account; `hash` is kept to change the password only if nobody changed it meanwhile. */
export type ConfirmedAccount = { id: string; email: string; hash: string; hadPassword: boolean };

/**
 * Loads the caller's account and counts the attempt. An account without a password is refused (403) for
 * credentials other than a sign-in before anything is counted, so a leaked key cannot use up its limits.
 */
async function callerAccount(c: Context<HonoEnv>): Promise<ConfirmedAccount> {
  const identity = c.get("identity");
  const userId = ownerOf(identity);
  const u = schema.users;
  const [user] = await getDb(c.env)
    .select({ id: u.id, email: u.email, passwordHash: u.passwordHash })
    .from(u)
    .where(eq(u.id, userId))
    .limit(1);
  if (!user) throw new ApiError("UNAUTHORIZED", "Invalid or expired credentials.");
  const hadPassword = hasPassword(user.passwordHash);
  if (!hadPassword && identity.kind !== "user") throw new ApiError("FORBIDDEN", SESSION_NEEDED);
  await countLoginAttempt(c, user.email);
  return { id: user.id, email: user.email, hash: user.passwordHash, hadPassword };
}

async function checkPassword(c: Context<HonoEnv>, account: ConfirmedAccount, password: string, wrong: string) {
  if (!(await verifyPassword(password, account.hash))) throw new ApiError("UNPROCESSABLE", wrong);
  await clearLoginFailures(c, account.email);
}

/** Before a new password: the current one, or, for an account without one, nothing (422 when it does not fit). */
export async function confirmPasswordChange(c: Context<HonoEnv>, currentPassword: string | undefined): Promise<ConfirmedAccount> {
  const account = await callerAccount(c);
  if (account.hadPassword) {
    if (currentPassword === undefined) throw new ApiError("UNPROCESSABLE", CURRENT_PASSWORD_NEEDED);
    await checkPassword(c, account, currentPassword, WRONG_CURRENT_PASSWORD);
  } else {
    if (currentPassword !== undefined) throw new ApiError("UNPROCESSABLE", NO_PASSWORD_YET);
    await clearLoginFailures(c, account.email);
  }
  return account;
}

/** Before deleting: the password, or, for an account without one, its email address typed exactly. */
export async function confirmDeletion(
  c: Context<HonoEnv>,
  given: { password?: string; confirm_email?: string },
): Promise<ConfirmedAccount> {
  const account = await callerAccount(c);
  if (account.hadPassword) {
    if (given.password === undefined || given.confirm_email !== undefined) throw new ApiError("UNPROCESSABLE", PASSWORD_NEEDED);
    await checkPassword(c, account, given.password, "The password is wrong.");
  } else {
    if (given.confirm_email === undefined || given.password !== undefined)
      throw new ApiError("UNPROCESSABLE", CONFIRM_EMAIL_NEEDED);
    if (given.confirm_email !== account.email) throw new ApiError("UNPROCESSABLE", WRONG_CONFIRM_EMAIL);
    await clearLoginFailures(c, account.email);
  }
  return account;
}
