import { describe, expect, it } from "vitest";
import { bearerFor, createUser, jwtBearerFor, testEnv } from "../../../../test/helpers";
import { runCommonRouteTests } from "../../../../test/security";
import { mintApiToken, NO_PASSWORD } from "../../../pkg/auth";
import { PASSWORD_NEEDED, SESSION_NEEDED } from "./account-checks";
import { browserPost, type Jar } from "./browser-test-helpers";
import { PASSWORD, postJson, storedHash, userWithoutPassword, userWithPassword } from "./test-helpers";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/auth/account/delete",
  allowed: ["user", "admin"],
  prepareRequest: async () => ({ body: { password: "wrong" } }),
});

describe("POST /api/v1/auth/account/delete security", () => {
  it("a leaked API key alone cannot delete the account (422 without the password); the account stays", async () => {
    const user = await userWithPassword();
    const { token } = await mintApiToken(testEnv, { name: "leaked", role: "user", userId: user.id });
    const res = await postJson("/api/v1/auth/account/delete", { password: "a guess" }, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(422);
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(200);
  });

  it("deletes only the caller's own account", async () => {
    const other = await userWithPassword();
    const me = await createUser("user", PASSWORD);
    const { token } = await mintApiToken(testEnv, { name: "mine", role: "user", userId: me.id });
    const res = await postJson("/api/v1/auth/account/delete", { password: PASSWORD }, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect((await postJson("/api/v1/auth/login", { email: other.email, password: PASSWORD })).status).toBe(200);
  });

  it("a service token without an account is 403", async () => {
    const res = await postJson(
      "/api/v1/auth/account/delete",
      { password: PASSWORD },
      { Authorization: await bearerFor("service") },
    );
    expect(res.status).toBe(403);
  });

  it("an account with a password cannot use the email confirmation (422), even alongside the right password", async () => {
    const user = await userWithPassword();
    const auth = { Authorization: await jwtBearerFor("user", user.id) };
    for (const body of [{ confirm_email: user.email }, { password: PASSWORD, confirm_email: user.email }]) {
      const res = await postJson("/api/v1/auth/account/delete", body, auth);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(PASSWORD_NEEDED);
    }
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(200);
  });

  it("a leaked API key of an account without a password cannot delete it with the (guessable) email: 403", async () => {
    const user = await userWithoutPassword();
    const { token } = await mintApiToken(testEnv, { name: "leaked", role: "user", userId: user.id });
    const res = await postJson(
      "/api/v1/auth/account/delete",
      { confirm_email: user.email },
      { Authorization: `Bearer ${token}` },
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(SESSION_NEEDED);
    expect(await storedHash(user.id)).toBe(NO_PASSWORD);
  });

  it("takes no session cookie (so no cross-site form can call it): the browser's cookies and CSRF header alone are 401", async () => {
    const user = await userWithPassword();
    const jar: Jar = new Map();
    expect((await browserPost("/api/v1/auth/browser/signin", jar, { email: user.email, password: PASSWORD })).status).toBe(200);
    const res = await browserPost("/api/v1/auth/account/delete", jar, { password: PASSWORD });
    expect(res.status).toBe(401);
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(200);
  });
});
