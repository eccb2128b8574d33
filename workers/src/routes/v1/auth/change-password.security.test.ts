import { describe, expect, it } from "vitest";
import { bearerFor, jwtBearerFor, testEnv } from "../../../../test/helpers";
import { runCommonRouteTests } from "../../../../test/security";
import { mintApiToken, NO_PASSWORD } from "../../../pkg/auth";
import { SESSION_NEEDED } from "./account-checks";
import { browserPost, type Jar } from "./browser-test-helpers";
import { login, PASSWORD, postJson, storedHash, userWithoutPassword, userWithPassword } from "./test-helpers";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/auth/password",
  allowed: ["user", "admin"],
  prepareRequest: async () => ({ body: { current_password: "x", new_password: "a long enough new password" } }),
});

describe("POST /api/v1/auth/password security", () => {
  it("an API key alone cannot change the password: it needs the current one", async () => {
    const res = await postJson(
      "/api/v1/auth/password",
      { current_password: "guessed wrong", new_password: "taken over account" },
      { Authorization: await bearerFor("user") },
    );
    expect(res.status).toBe(422);
  });

  it("an API key of an account without a password cannot set one (403): that needs a signed-in session", async () => {
    const user = await userWithoutPassword();
    const { token } = await mintApiToken(testEnv, { name: "leaked", role: "user", userId: user.id });
    const res = await postJson(
      "/api/v1/auth/password",
      { new_password: "taken over account" },
      { Authorization: `Bearer ${token}` },
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(SESSION_NEEDED);
    expect(await storedHash(user.id)).toBe(NO_PASSWORD);
  });

  it("a service token that belongs to no account is 403", async () => {
    const res = await postJson(
      "/api/v1/auth/password",
      { current_password: "x", new_password: "a long enough new password" },
      { Authorization: await bearerFor("service") },
    );
    expect(res.status).toBe(403);
  });

  it("takes no session cookie (so no cross-site form can call it): the browser's cookies and CSRF header alone are 401", async () => {
    const user = await userWithPassword();
    const jar: Jar = new Map();
    expect((await browserPost("/api/v1/auth/browser/signin", jar, { email: user.email, password: PASSWORD })).status).toBe(200);
    const res = await browserPost("/api/v1/auth/password", jar, {
      current_password: PASSWORD,
      new_password: "taken over account",
    });
    expect(res.status).toBe(401);
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(200);
  });

  it("two requests setting a first password at once: only one wins, and its password is the one that works", async () => {
    const user = await userWithoutPassword();
    const auth = { Authorization: await jwtBearerFor("user", user.id) };
    const passwords = ["first racing passphrase", "second racing passphrase"];
    const answers = await Promise.all(passwords.map((p) => postJson("/api/v1/auth/password", { new_password: p }, auth)));
    const statuses = answers.map((r) => r.status);
    expect(
      statuses.filter((s) => s === 200),
      statuses.join(),
    ).toHaveLength(1);
    // The loser either saw the password already set (422: give the current one) or lost the update (409).
    expect(
      statuses.every((s) => [200, 409, 422].includes(s)),
      statuses.join(),
    ).toBe(true);
    const winner = passwords[statuses.indexOf(200)]!;
    const loser = passwords[1 - statuses.indexOf(200)]!;
    expect((await login(user.email, winner)).user.has_password).toBe(true);
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: loser })).status).toBe(401);
  });
});
