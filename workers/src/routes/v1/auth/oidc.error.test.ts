import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call, callWithEnv, type ErrorEnvelope, testEnv, unique } from "../../../../test/helpers";
import { getDb, schema } from "../../../pkg/db";
import type { Jar } from "./browser-test-helpers";
import { arrive, authorizeAt, landing, newEmail, OIDC, sessionUser, startSignIn } from "./oidc-test-helpers";
import { userWithPassword } from "./test-helpers";

const db = () => getDb(testEnv);
const usersWithEmail = (email: string) => db().select().from(schema.users).where(eq(schema.users.email, email));
const identitiesOf = (userId: string) =>
  db().select().from(schema.oidcIdentities).where(eq(schema.oidcIdentities.userId, userId));

describe("OpenID Connect sign-in: refusals shown on the sign-in page", () => {
  it("denied consent at the provider: back to /signin/ with oidc_error=denied, no account, no session", async () => {
    const email = newEmail("declined");
    const jar: Jar = new Map();
    const callback = await authorizeAt(await startSignIn(jar, "local", "/account/?from=docs"), email, { consent: false });
    expect(callback.searchParams.get("error")).toBe("access_denied");
    const res = await arrive(jar, callback);
    expect(landing(res)).toEqual({ path: "/signin/", error: "denied" });
    // The return path survives for the next try.
    expect(new URL(res.headers.get("location")!, "http://x").searchParams.get("next")).toBe("/account/?from=docs");
    expect(await usersWithEmail(email)).toHaveLength(0);
    expect(await sessionUser(jar)).toBeNull();
  });

  it("an unverified email is not linked to an existing password account", async () => {
    const user = await userWithPassword();
    const jar: Jar = new Map();
    const res = await arrive(jar, await authorizeAt(await startSignIn(jar), `${user.email}#unverified`));
    expect(landing(res)).toEqual({ path: "/signin/", error: "unverified_email" });
    expect(await identitiesOf(user.id)).toHaveLength(0);
    expect(await sessionUser(jar)).toBeNull();
  });

  it("a provider that shares no email cannot make an account", async () => {
    const login = `#no-email-${unique()}`;
    const jar: Jar = new Map();
    const res = await arrive(jar, await authorizeAt(await startSignIn(jar), login));
    expect(landing(res).error).toBe("no_email");
    const linked = await db().select().from(schema.oidcIdentities).where(eq(schema.oidcIdentities.subject, login));
    expect(linked).toHaveLength(0);
  });

  it("a disabled account stays closed", async () => {
    const user = await userWithPassword();
    await db().update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, user.id));
    const jar: Jar = new Map();
    const res = await arrive(jar, await authorizeAt(await startSignIn(jar), user.email));
    expect(landing(res).error).toBe("disabled");
    expect(await sessionUser(jar)).toBeNull();
  });

  it("a callback with neither state nor code goes back to the sign-in page", async () => {
    const res = await call(`${OIDC}/local/callback`, { redirect: "manual" });
    expect(landing(res).error).toBe("state");
    const denied = await call(`${OIDC}/local/callback?error=access_denied`, { redirect: "manual" });
    expect(landing(denied).error).toBe("denied");
  });

  it("Redis down at the callback: 503 with the envelope (sign-in fails closed without its limiter), no session", async () => {
    const jar: Jar = new Map();
    const callback = await authorizeAt(await startSignIn(jar), newEmail());
    const res = await arrive(jar, callback, { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe("SERVICE_UNAVAILABLE");
    expect(jar.has("__Secure-pillow_refresh")).toBe(false);
  });
});

describe("OpenID Connect sign-in: API errors", () => {
  it.each(["start", "callback"])("an unknown provider is 404 at %s", async (step) => {
    const res = await call(`${OIDC}/nobody/${step}`, { redirect: "manual" });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe("NOT_FOUND");
  });

  it("a provider id that cannot be one is 400", async () => {
    const res = await call(`${OIDC}/Not_An_Id/start`, { redirect: "manual" });
    expect(res.status).toBe(400);
  });

  it("an unreachable provider makes start answer 503, with the envelope", async () => {
    const res = await callWithEnv(`${OIDC}/local/start`, { OIDC_ISSUER_LOCAL: "http://127.0.0.1:9" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe("SERVICE_UNAVAILABLE");
  });

  it("an issuer that is not https (nor http on a loopback host) is not offered at all", async () => {
    const env = { OIDC_ISSUER_PLAIN: "http://idp.example.com", OIDC_CLIENT_ID_PLAIN: "x" };
    const list = (await (await callWithEnv(OIDC, env)).json()) as { data: Array<{ id: string }> };
    expect(list.data.map((p) => p.id)).not.toContain("plain");
    expect((await callWithEnv(`${OIDC}/plain/start`, env)).status).toBe(404);
  });
});
