import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call, testEnv } from "../../../../test/helpers";
import { getDb, schema } from "../../../pkg/db";
import { browserPost, type Jar } from "./browser-test-helpers";
import { landing, newEmail, signInThroughProvider } from "./oidc-test-helpers";
import { login, PASSWORD, postJson, userWithPassword } from "./test-helpers";

describe("POST /api/v1/auth/account/delete", () => {
  it("deletes the account with its API keys and sessions, which stop working at once", async () => {
    const user = await userWithPassword();
    const session = await login(user.email);
    const auth = { Authorization: `Bearer ${session.access_token}` };
    const created = await postJson("/api/v1/tokens", { name: "to be deleted" }, auth);
    const key = ((await created.json()) as { data: { token: string } }).data.token;
    expect((await call("/api/v1/properties?limit=1", { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);

    const res = await postJson("/api/v1/auth/account/delete", { password: PASSWORD }, auth);
    expect(res.status, await res.clone().text()).toBe(200);

    expect((await call("/api/v1/properties?limit=1", { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);
    expect((await postJson("/api/v1/auth/refresh", { refresh_token: session.refresh_token })).status).toBe(401);
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(401);
    const db = getDb(testEnv);
    expect(await db.select().from(schema.users).where(eq(schema.users.id, user.id))).toEqual([]);
    expect(await db.select().from(schema.apiTokens).where(eq(schema.apiTokens.userId, user.id))).toEqual([]);
    expect(await db.select().from(schema.refreshTokens).where(eq(schema.refreshTokens.userId, user.id))).toEqual([]);
  });

  it("an account made through a provider (no password) deletes itself by typing its email address", async () => {
    const email = newEmail("delete");
    const { jar, res: callback } = await signInThroughProvider(email);
    expect(landing(callback).error).toBeNull();
    const refreshed = await browserPost("/api/v1/auth/browser/refresh", jar);
    const { data: session } = (await refreshed.json()) as {
      data: { access_token: string; user: { id: string; has_password: boolean } };
    };
    expect(session.user.has_password).toBe(false);
    const auth = { Authorization: `Bearer ${session.access_token}` };
    const created = await postJson("/api/v1/tokens", { name: "provider account key" }, auth);
    const key = ((await created.json()) as { data: { token: string } }).data.token;

    const res = await postJson("/api/v1/auth/account/delete", { confirm_email: email }, auth);
    expect(res.status, await res.clone().text()).toBe(200);

    expect((await call("/api/v1/properties?limit=1", { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);
    expect((await browserPost("/api/v1/auth/browser/refresh", jar as Jar)).status).toBe(401);
    const db = getDb(testEnv);
    expect(await db.select().from(schema.users).where(eq(schema.users.id, session.user.id))).toEqual([]);
    expect(await db.select().from(schema.oidcIdentities).where(eq(schema.oidcIdentities.userId, session.user.id))).toEqual([]);
  });
});
