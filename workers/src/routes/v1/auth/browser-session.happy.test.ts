import { describe, expect, it } from "vitest";
import { call, unique } from "../../../../test/helpers";
import { browserPost, type Jar, setCookies } from "./browser-test-helpers";
import { PASSWORD, userWithPassword } from "./test-helpers";

type BrowserSession = { data: { access_token: string; csrf_token: string; user: { email: string; role: string } } };

describe("browser sessions", () => {
  it("sign-up sets an HttpOnly refresh cookie scoped to the auth path and a readable CSRF cookie, and answers without the refresh token", async () => {
    const jar: Jar = new Map();
    const email = `${unique("browser")}@users.pillow.test`;
    const res = await browserPost("/api/v1/auth/browser/signup", jar, { email, password: PASSWORD });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as BrowserSession & { data: Record<string, unknown> };
    expect(body.data.user.email).toBe(email);
    expect(body.data).not.toHaveProperty("refresh_token");
    const cookies = setCookies(res);
    const refresh = cookies.get("__Secure-pillow_refresh")!;
    expect(refresh).toMatch(/; HttpOnly/);
    expect(refresh).toMatch(/; Secure/);
    expect(refresh).toMatch(/; SameSite=Strict/);
    expect(refresh).toMatch(/; Path=\/api\/v1\/auth\/browser(;|$)/);
    const csrf = cookies.get("__Secure-pillow_csrf")!;
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf).toMatch(/; Secure/);
    expect(csrf).toMatch(/; SameSite=Strict/);
    expect(csrf).toMatch(/; Path=\/(;|$)/);
    expect(jar.get("__Secure-pillow_csrf")).toBe(body.data.csrf_token);
  });

  it("sign-in, refresh (rotating the cookie) and the access token reaches user routes", async () => {
    const user = await userWithPassword();
    const jar: Jar = new Map();
    const signIn = await browserPost("/api/v1/auth/browser/signin", jar, { email: user.email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    const firstCookie = jar.get("__Secure-pillow_refresh");
    const refreshed = await browserPost("/api/v1/auth/browser/refresh", jar);
    expect(refreshed.status, await refreshed.clone().text()).toBe(200);
    const { data } = (await refreshed.json()) as BrowserSession;
    expect(jar.get("__Secure-pillow_refresh")).not.toBe(firstCookie);
    const tokens = await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${data.access_token}` } });
    expect(tokens.status).toBe(200);
  });

  it("sign-out revokes the session and clears both cookies", async () => {
    const user = await userWithPassword();
    const jar: Jar = new Map();
    await browserPost("/api/v1/auth/browser/signin", jar, { email: user.email, password: PASSWORD });
    const stolen = new Map(jar);
    const out = await browserPost("/api/v1/auth/browser/signout", jar);
    expect(out.status).toBe(200);
    expect(jar.size).toBe(0);
    // The cookies as they were before signing out no longer work either.
    const again = await browserPost("/api/v1/auth/browser/refresh", stolen);
    expect(again.status).toBe(401);
  });
});
