import { describe, expect, it } from "vitest";
import { unique } from "../../../../test/helpers";
import { browserPost, type Jar } from "./browser-test-helpers";
import { LOGIN_FAILED_MESSAGE } from "./password-sign-in";
import { PASSWORD, userWithPassword } from "./test-helpers";

type Failure = { success: false; error: { code: string; message: string } };

describe("browser session errors", () => {
  it("a wrong password is 401 with the one sign-in failure message and sets no cookie", async () => {
    const user = await userWithPassword();
    const jar: Jar = new Map();
    const res = await browserPost("/api/v1/auth/browser/signin", jar, { email: user.email, password: "not the password at all" });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Failure).error.message).toBe(LOGIN_FAILED_MESSAGE);
    expect(jar.size).toBe(0);
  });

  it("a taken email is 409", async () => {
    const user = await userWithPassword();
    const res = await browserPost("/api/v1/auth/browser/signup", new Map(), { email: user.email, password: PASSWORD });
    expect(res.status).toBe(409);
    expect(((await res.json()) as Failure).error.code).toBe("CONFLICT");
  });

  it("after too many failures the account is locked out: 429 with the seconds left, also for the right password", async () => {
    const user = await userWithPassword();
    let last: Response | undefined;
    for (let i = 0; i < 6; i++)
      last = await browserPost("/api/v1/auth/browser/signin", new Map(), { email: user.email, password: `wrong password ${i}!` });
    expect(last!.status).toBe(429);
    const right = await browserPost("/api/v1/auth/browser/signin", new Map(), { email: user.email, password: PASSWORD });
    expect(right.status).toBe(429);
    const retryAfter = Number(right.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(((await right.json()) as Failure).error.message).toContain(`${retryAfter} s`);
  });

  it("refresh without a session cookie is 401; without the CSRF header it is 400", async () => {
    const jar: Jar = new Map([["__Secure-pillow_csrf", "abc"]]);
    expect((await browserPost("/api/v1/auth/browser/refresh", jar)).status).toBe(401);
    expect((await browserPost("/api/v1/auth/browser/refresh", new Map())).status).toBe(400);
  });

  it("a spent refresh cookie is 401 and clears the cookies", async () => {
    const user = await userWithPassword();
    const jar: Jar = new Map();
    await browserPost("/api/v1/auth/browser/signin", jar, { email: user.email, password: PASSWORD });
    const old = new Map(jar);
    await browserPost("/api/v1/auth/browser/refresh", jar);
    const replay = await browserPost("/api/v1/auth/browser/refresh", old);
    expect(replay.status).toBe(401);
    expect(old.size).toBe(0);
    // Reuse detection: the replay revoked the whole sign-in, so the current cookie is dead too.
    expect((await browserPost("/api/v1/auth/browser/refresh", jar)).status).toBe(401);
  });

  it("sign-up with an invalid email is 400 naming the field", async () => {
    const res = await browserPost("/api/v1/auth/browser/signup", new Map(), { email: `${unique()}-no-at`, password: PASSWORD });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Failure).error.message).toContain("email");
  });
});
