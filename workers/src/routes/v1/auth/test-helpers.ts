/** Small helpers shared by the auth route tests. */
import { eq } from "drizzle-orm";
import { call, callWithEnv, createUser, testEnv, unique } from "../../../../test/helpers";
import { NO_PASSWORD } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";

export const PASSWORD = "correct horse battery staple";

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
}

export function postJsonWithEnv(path: string, env: Record<string, unknown>, body: unknown, headers: Record<string, string> = {}) {
  return callWithEnv(path, env, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** A user that can sign in with PASSWORD. */
export function userWithPassword(role: "user" | "service" | "admin" = "user") {
  return createUser(role, PASSWORD) as Promise<{ id: string; email: string; password: string; role: string }>;
}

export type SessionData = {
  access_token: string;
  refresh_token: string;
  user: { id: string; email: string; role: string; has_password: boolean };
};

export async function login(email: string, password = PASSWORD): Promise<SessionData> {
  const res = await postJson("/api/v1/auth/login", { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: SessionData }).data;
}

/**
 * An account without a password, stored exactly as a first OpenID Connect sign-in makes it
 * (pkg/auth/oidc/accounts.ts), for tests that do not need the provider round trip.
 */
export async function userWithoutPassword(): Promise<{ id: string; email: string }> {
  const email = `${unique("nopw")}@idp.pillow.test`;
  const [row] = await getDb(testEnv)
    .insert(schema.users)
    .values({ email, passwordHash: NO_PASSWORD, role: "user" })
    .returning({ id: schema.users.id });
  return { id: row!.id, email };
}

/** The stored password hash of an account (to check a refused change left it alone). */
export async function storedHash(userId: string): Promise<string | undefined> {
  const [row] = await getDb(testEnv)
    .select({ hash: schema.users.passwordHash })
    .from(schema.users)
    .where(eq(schema.users.id, userId));
  return row?.hash;
}
