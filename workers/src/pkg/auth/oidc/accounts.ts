/**
 * Which account an OpenID Connect sign-in opens (docs/auth.md "OpenID Connect"):
 * 1. an identity already linked (same `iss` and `sub`) opens its account;
 * 2. else, an account with the asserted email is linked and opened only when the provider says the email
 *    is verified (`email_verified: true`); otherwise anyone who can make an account at some provider with
 *    a victim's address unverified could take the victim's password account over;
 * 3. else a new `user` account is made, with no password (it signs in through the provider), and linked.
 * Disabled accounts stay closed, as with a password.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Env } from "../../../env";
import { getDb, schema, withTransaction } from "../../db";
import { hasPassword, NO_PASSWORD } from "../password";
import type { Asserted } from "./client";

export type AccountUser = { id: string; email: string; role: string; hasPassword: boolean };
export type AccountOutcome = { user: AccountUser; created: boolean } | { problem: "no_email" | "unverified_email" | "disabled" };

const Email = z.email().max(254);

export async function accountFor(env: Env, providerId: string, who: Asserted): Promise<AccountOutcome> {
  const db = getDb(env);
  const u = schema.users;
  const i = schema.oidcIdentities;
  const [linked] = await db
    .select({ id: u.id, email: u.email, role: u.role, passwordHash: u.passwordHash, disabledAt: u.disabledAt, identityId: i.id })
    .from(i)
    .innerJoin(u, eq(u.id, i.userId))
    .where(and(eq(i.issuer, who.issuer), eq(i.subject, who.subject)))
    .limit(1);
  const email = who.email === undefined ? undefined : Email.safeParse(who.email.trim().toLowerCase()).data;
  if (linked) {
    if (linked.disabledAt) return { problem: "disabled" };
    await db
      .update(i)
      .set({ lastUsedAt: new Date(), email: email ?? null })
      .where(eq(i.id, linked.identityId));
    return {
      user: { id: linked.id, email: linked.email, role: linked.role, hasPassword: hasPassword(linked.passwordHash) },
      created: false,
    };
  }
  if (!email) return { problem: "no_email" };
  const [existing] = await db
    .select({ id: u.id, email: u.email, role: u.role, passwordHash: u.passwordHash, disabledAt: u.disabledAt })
    .from(u)
    .where(eq(sql`lower(${u.email})`, email))
    .limit(1);
  if (existing) {
    if (existing.disabledAt) return { problem: "disabled" };
    if (!who.emailVerified) return { problem: "unverified_email" };
    await db
      .insert(i)
      .values({ userId: existing.id, issuer: who.issuer, subject: who.subject, provider: providerId, email })
      .onConflictDoNothing();
    return {
      user: { id: existing.id, email: existing.email, role: existing.role, hasPassword: hasPassword(existing.passwordHash) },
      created: false,
    };
  }
  // The account and its identity together, or neither (a half-made account would later look like a password account).
  const created = await withTransaction(env, async ({ db: tx }) => {
    const [user] = await tx
      .insert(u)
      .values({ email, passwordHash: NO_PASSWORD, role: "user" })
      .onConflictDoNothing()
      .returning({ id: u.id, email: u.email, role: u.role });
    if (!user) return undefined;
    await tx.insert(i).values({ userId: user.id, issuer: who.issuer, subject: who.subject, provider: providerId, email });
    return user;
  });
  // Another request made an account with this email meanwhile: decide again, as for an existing account.
  if (!created) return accountFor(env, providerId, who);
  return { user: { ...created, hasPassword: false }, created: true };
}
