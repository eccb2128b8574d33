import { describe, expect, it } from "vitest";
import { call } from "../../../../test/helpers";
import { browserPost, type Jar } from "./browser-test-helpers";
import { landing, newEmail, signInThroughProvider } from "./oidc-test-helpers";
import { login, PASSWORD, postJson, userWithPassword } from "./test-helpers";

const NEW_PASSWORD = "a brand new passphrase here";

type BrowserSession = { data: { access_token: string; user: { id: string; email: string; has_password: boolean } } };

/** The browser's session as the account page loads it (a refresh through the cookie). */
async function browserSession(jar: Jar): Promise<BrowserSession["data"]> {
  const res = await browserPost("/api/v1/auth/browser/refresh", jar);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as BrowserSession).data;
}

describe("POST /api/v1/auth/password", () => {
  it("changes the password and ends every sign-in of the account", async () => {
    const user = await userWithPassword();
    const session = await login(user.email);
    expect(session.user.has_password).toBe(true);
    const jar: Jar = new Map();
    await browserPost("/api/v1/auth/browser/signin", jar, { email: user.email, password: PASSWORD });
    const res = await postJson(
      "/api/v1/auth/password",
      { current_password: PASSWORD, new_password: NEW_PASSWORD },
      { Authorization: `Bearer ${session.access_token}` },
    );
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { data } = (await res.json()) as { data: { sessions_ended: number; first_password: boolean } };
    expect(data.sessions_ended).toBeGreaterThanOrEqual(2);
    expect(data.first_password).toBe(false);
    expect((await postJson("/api/v1/auth/refresh", { refresh_token: session.refresh_token })).status).toBe(401);
    expect((await browserPost("/api/v1/auth/browser/refresh", jar)).status).toBe(401);
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(401);
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: NEW_PASSWORD })).status).toBe(200);
    // The account's API tokens are not sessions: they keep working.
    expect((await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${session.access_token}` } })).status).toBe(200);
  });

  it("an account made through a provider has no password, sets one without a current one, then signs in with it", async () => {
    const email = newEmail("setpw");
    const { jar, res: callback } = await signInThroughProvider(email);
    expect(landing(callback).error).toBeNull();
    const before = await browserSession(jar);
    expect(before.user).toMatchObject({ email, has_password: false });
    // No password opens it yet.
    expect((await postJson("/api/v1/auth/login", { email, password: NEW_PASSWORD })).status).toBe(401);

    const res = await postJson(
      "/api/v1/auth/password",
      { new_password: NEW_PASSWORD },
      { Authorization: `Bearer ${before.access_token}` },
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const { data } = (await res.json()) as { data: { first_password: boolean; sessions_ended: number } };
    expect(data).toMatchObject({ first_password: true });
    expect(data.sessions_ended).toBeGreaterThanOrEqual(1);
    expect((await browserPost("/api/v1/auth/browser/refresh", jar)).status).toBe(401);

    const session = await login(email, NEW_PASSWORD);
    expect(session.user).toMatchObject({ id: before.user.id, has_password: true });
    // From now on the new password is the confirmation: setting another without it is refused.
    const again = await postJson(
      "/api/v1/auth/password",
      { new_password: "yet another passphrase" },
      { Authorization: `Bearer ${session.access_token}` },
    );
    expect(again.status).toBe(422);
    // The provider still opens the same account, now saying it has a password.
    const provider = await signInThroughProvider(email);
    expect((await browserSession(provider.jar)).user).toMatchObject({ id: before.user.id, has_password: true });
  });
});
