import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call, type ErrorEnvelope, testEnv, unique } from "../../../../test/helpers";
import { runCommonRouteTests } from "../../../../test/security";
import { flowCookieName } from "../../../pkg/auth/oidc/flow";
import { getDb, schema } from "../../../pkg/db";
import { type Jar, setCookies } from "./browser-test-helpers";
import {
  arrive,
  authorizeAt,
  landing,
  newEmail,
  OIDC,
  sessionUser,
  signInThroughProvider,
  startSignIn,
} from "./oidc-test-helpers";

runCommonRouteTests({ method: "GET", path: OIDC, allowed: ["anonymous"], credentials: true });
runCommonRouteTests({ method: "GET", path: `${OIDC}/local/start`, allowed: ["anonymous"] });
runCommonRouteTests({ method: "GET", path: `${OIDC}/local/callback`, allowed: ["anonymous"] });

const db = () => getDb(testEnv);
const usersWithEmail = (email: string) => db().select().from(schema.users).where(eq(schema.users.email, email));
/** Sign-ins of an account: refresh token families (a refresh rotates within its family). */
async function signInsOf(userId: string): Promise<number> {
  const rows = await db().select().from(schema.refreshTokens).where(eq(schema.refreshTokens.userId, userId));
  return new Set(rows.map((r) => r.familyId)).size;
}

/** The callback URL with one parameter replaced. */
function withParam(url: URL, name: string, value: string): URL {
  const copy = new URL(url);
  copy.searchParams.set(name, value);
  return copy;
}

describe("state: each sign-in attempt is used once, by the browser that started it", () => {
  it("a wrong state is refused, and no session is made", async () => {
    const jar: Jar = new Map();
    const email = newEmail("state");
    const callback = await authorizeAt(await startSignIn(jar), email);
    const res = await arrive(jar, withParam(callback, "state", "forged-state-value"));
    expect(landing(res)).toEqual({ path: "/signin/", error: "state" });
    expect(await sessionUser(jar)).toBeNull();
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it("a replayed callback (the same code and state again) is refused and makes no second session", async () => {
    const { jar, callback, res } = await signInThroughProvider(newEmail("replay"));
    expect(landing(res).error).toBeNull();
    const user = await sessionUser(jar);
    // Even with the spent flow cookie put back, as an attacker holding the old URL and cookie would.
    const state = callback.searchParams.get("state")!;
    const replay: Jar = new Map([[await flowCookieName(state), state]]);
    const again = await arrive(replay, callback);
    expect(landing(again).error).toBe("state");
    expect(replay.has("__Secure-pillow_refresh")).toBe(false);
    expect(await signInsOf(user!.id)).toBe(1);
  });

  it("a used code carried into a fresh sign-in attempt is refused by the code exchange", async () => {
    const { callback } = await signInThroughProvider(newEmail("code-replay"));
    const jar: Jar = new Map();
    const fresh = await startSignIn(jar);
    const res = await arrive(jar, withParam(callback, "state", fresh.searchParams.get("state")!));
    expect(landing(res).error).toBe("failed");
    expect(await sessionUser(jar)).toBeNull();
  });

  it("a stolen, unused code cannot be redeemed with another attempt's PKCE verifier", async () => {
    const victim: Jar = new Map();
    const stolen = await authorizeAt(await startSignIn(victim), newEmail("stolen"));
    const attacker: Jar = new Map();
    const own = await startSignIn(attacker);
    const res = await arrive(attacker, withParam(stolen, "state", own.searchParams.get("state")!));
    expect(landing(res).error).toBe("failed");
    expect(await sessionUser(attacker)).toBeNull();
  });

  it("a callback opened in another browser (no state cookie: login CSRF) is refused", async () => {
    const email = newEmail("csrf");
    const callback = await authorizeAt(await startSignIn(new Map()), email);
    const victim: Jar = new Map();
    const res = await arrive(victim, callback);
    expect(landing(res).error).toBe("state");
    expect(await sessionUser(victim)).toBeNull();
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it("an attempt started for one provider cannot finish at another's callback", async () => {
    const jar: Jar = new Map();
    const callback = await authorizeAt(await startSignIn(jar, "local"), newEmail("mixup"));
    const elsewhere = new URL(callback.href.replace("/oidc/local/", "/oidc/wrong-aud/"));
    const res = await arrive(jar, elsewhere);
    expect(landing(res).error).toBe("state");
  });

  it("the state cookie is HttpOnly, Secure, SameSite=Lax, scoped to the OIDC routes and short-lived", async () => {
    const res = await call(`${OIDC}/local/start`, { redirect: "manual" });
    const location = new URL(res.headers.get("location")!);
    const line = setCookies(res).get(await flowCookieName(location.searchParams.get("state")!)) ?? "";
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; Secure/i);
    expect(line).toMatch(/; SameSite=Lax/i);
    expect(line).toMatch(/; Path=\/api\/v1\/auth\/browser\/oidc(;|$)/);
    expect(line).toMatch(/; Max-Age=600/i);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("the ID token is checked", () => {
  it("a nonce other than the one this attempt sent is refused", async () => {
    const jar: Jar = new Map();
    const email = newEmail("nonce");
    const authorization = await startSignIn(jar);
    authorization.searchParams.set("nonce", "a-nonce-the-relying-party-never-sent");
    const res = await arrive(jar, await authorizeAt(authorization, email));
    expect(landing(res).error).toBe("failed");
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it("an ID token for another audience (validly signed by the provider) is refused", async () => {
    const email = newEmail("aud");
    const { jar, res } = await signInThroughProvider(email, { provider: "wrong-aud" });
    expect(landing(res).error).toBe("failed");
    expect(await sessionUser(jar)).toBeNull();
    expect(await usersWithEmail(email)).toHaveLength(0);
  });
});

describe("open redirect: only paths on this site are return paths", () => {
  it.each([
    "https://evil.example/account/",
    "//evil.example/account/",
    "/\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "account",
    "",
  ])("return_to=%j is refused (400)", async (returnTo) => {
    const res = await call(`${OIDC}/local/start?return_to=${encodeURIComponent(returnTo)}`, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe("VALIDATION_FAILED");
    expect(res.headers.get("location")).toBeNull();
  });
});

describe("sign-in rate limits apply to the callback", () => {
  it("after the IP's allowance, even a valid callback gets oidc_error=rate_limited and no session", async () => {
    const ip = `198.51.100.7-${unique("oidc-ip")}`;
    const env = { LOGIN_RATE_LIMITS: JSON.stringify({ ip: { limit: 2, window: "60 s" } }) };
    for (let i = 0; i < 2; i++) {
      const res = await arrive(new Map(), new URL(`http://pillow.test${OIDC}/local/callback?state=guess-${i}&code=x`), env, {
        "CF-Connecting-IP": ip,
      });
      expect(landing(res).error).toBe("state");
    }
    const jar: Jar = new Map();
    const callback = await authorizeAt(await startSignIn(jar), newEmail("limited"));
    const res = await arrive(jar, callback, env, { "CF-Connecting-IP": ip });
    expect(landing(res).error).toBe("rate_limited");
    expect(Number(new URL(res.headers.get("location")!, "http://x").searchParams.get("retry_after"))).toBeGreaterThan(0);
    expect(await sessionUser(jar)).toBeNull();
  });
});
