import { describe, expect, it } from "vitest";
import { call, unique } from "../../../../test/helpers";
import { runCommonRouteTests } from "../../../../test/security";
import { browserPost, cookieHeader, type Jar, SITE_ORIGIN } from "./browser-test-helpers";
import { PASSWORD, userWithPassword } from "./test-helpers";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/auth/browser/signin",
  credentials: true,
  allowed: ["anonymous"],
  prepareRequest: async () => ({ body: { email: (await userWithPassword()).email, password: PASSWORD } }),
});
runCommonRouteTests({
  method: "POST",
  path: "/api/v1/auth/browser/signup",
  credentials: true,
  allowed: ["anonymous"],
  prepareRequest: async () => ({ body: { email: `${unique("browser")}@users.pillow.test`, password: PASSWORD } }),
});
for (const path of ["/api/v1/auth/browser/refresh", "/api/v1/auth/browser/signout"])
  runCommonRouteTests({
    method: "POST",
    path,
    credentials: true,
    allowed: ["anonymous"],
    // A signed-in browser: the shared tests add bearer credentials on top, which these routes ignore.
    prepareRequest: async () => {
      const jar = await signedIn();
      return { headers: { "X-CSRF-Token": jar.get("__Secure-pillow_csrf")!, Cookie: cookieHeader(jar), Origin: SITE_ORIGIN } };
    },
  });

async function signedIn(): Promise<Jar> {
  const user = await userWithPassword();
  const jar: Jar = new Map();
  const res = await browserPost("/api/v1/auth/browser/signin", jar, { email: user.email, password: PASSWORD });
  expect(res.status).toBe(200);
  return jar;
}

describe("CSRF on the cookie-authenticated routes", () => {
  it.each(["/api/v1/auth/browser/refresh", "/api/v1/auth/browser/signout"])(
    "%s refuses a wrong CSRF header (403)",
    async (path) => {
      const jar = await signedIn();
      const res = await browserPost(path, new Map(jar), undefined, { "X-CSRF-Token": "f".repeat(48) });
      expect(res.status).toBe(403);
      // The session survived the forged request.
      expect((await browserPost("/api/v1/auth/browser/refresh", jar)).status).toBe(200);
    },
  );

  it.each([
    ["another Origin", { Origin: "https://evil.example" }],
    ["Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }],
    ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "Sec-Fetch-Site": "same-site" }],
  ])("refresh from %s is refused even with the right token", async (_, headers) => {
    const jar = await signedIn();
    const res = await browserPost("/api/v1/auth/browser/refresh", new Map(jar), undefined, headers);
    expect(res.status).toBe(403);
  });

  it("refuses a cross-origin sign-in (login CSRF) and sets no cookie", async () => {
    const user = await userWithPassword();
    const jar: Jar = new Map();
    const res = await browserPost(
      "/api/v1/auth/browser/signin",
      jar,
      { email: user.email, password: PASSWORD },
      {
        Origin: "https://evil.example",
        "Sec-Fetch-Site": "cross-site",
      },
    );
    expect(res.status).toBe(403);
    expect(jar.size).toBe(0);
  });

  it("a CSRF header without its cookie is refused", async () => {
    const jar = await signedIn();
    const token = jar.get("__Secure-pillow_csrf")!;
    jar.delete("__Secure-pillow_csrf");
    const res = await call("/api/v1/auth/browser/refresh", {
      method: "POST",
      headers: { Origin: SITE_ORIGIN, Cookie: cookieHeader(jar), "X-CSRF-Token": token },
    });
    expect(res.status).toBe(403);
  });
});

describe("session fixation", () => {
  it("signing in replaces a session cookie the browser already carried, and ends that session", async () => {
    // An attacker plants their own valid session cookie in the victim's browser…
    const planted = await signedIn();
    const victim = await userWithPassword();
    const jar: Jar = new Map(planted);
    const res = await browserPost("/api/v1/auth/browser/signin", jar, { email: victim.email, password: PASSWORD });
    expect(res.status).toBe(200);
    // …signing in issues a new cookie, not the planted one…
    expect(jar.get("__Secure-pillow_refresh")).not.toBe(planted.get("__Secure-pillow_refresh"));
    expect(jar.get("__Secure-pillow_csrf")).not.toBe(planted.get("__Secure-pillow_csrf"));
    // …and the planted cookie is dead, so the attacker cannot follow the victim's session with it.
    expect((await browserPost("/api/v1/auth/browser/refresh", planted)).status).toBe(401);
    const me = (await (await browserPost("/api/v1/auth/browser/refresh", jar)).json()) as { data: { user: { email: string } } };
    expect(me.data.user.email).toBe(victim.email);
  });
});

describe("answers", () => {
  it("never carry the refresh token in the body, and are not stored by caches", async () => {
    const jar: Jar = new Map();
    const user = await userWithPassword();
    const res = await browserPost("/api/v1/auth/browser/signin", jar, { email: user.email, password: PASSWORD });
    const text = await res.text();
    expect(text).not.toContain(jar.get("__Secure-pillow_refresh")!);
    expect(text).not.toContain("plr_");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
