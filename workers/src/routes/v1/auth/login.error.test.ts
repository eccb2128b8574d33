import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testEnv, unique } from "../../../../test/helpers";
import { getDb, schema } from "../../../pkg/db";
import { LOGIN_FAILED_MESSAGE } from "./login";
import { PASSWORD, postJson, postJsonWithEnv, userWithPassword } from "./test-helpers";

type Envelope = { success: boolean; error: { code: string; message: string; request_id: string } };

async function failure(res: Response) {
  const body = (await res.json()) as Envelope;
  return { status: res.status, success: body.success, code: body.error.code, message: body.error.message };
}

describe("POST /api/v1/auth/login failures", () => {
  it("answers a wrong password and an unknown email identically", async () => {
    const user = await userWithPassword();
    const wrongPassword = await failure(
      await postJson("/api/v1/auth/login", { email: user.email, password: "not the password" }),
    );
    const unknownEmail = await failure(
      await postJson("/api/v1/auth/login", { email: `${unique("nobody")}@example.com`, password: "not the password" }),
    );
    expect(wrongPassword).toEqual({ status: 401, success: false, code: "UNAUTHORIZED", message: LOGIN_FAILED_MESSAGE });
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it("answers a disabled account like a wrong password", async () => {
    const user = await userWithPassword();
    await getDb(testEnv).update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, user.id));
    const res = await failure(await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD }));
    expect(res).toMatchObject({ status: 401, message: LOGIN_FAILED_MESSAGE });
  });

  it("locks the account after 5 failures: the 6th attempt is 429 with Retry-After, even with the right password", async () => {
    const user = await userWithPassword();
    for (let i = 1; i <= 5; i++) {
      const res = await postJson("/api/v1/auth/login", { email: user.email, password: `wrong password ${i}` });
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const sixth = await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await sixth.json()).toMatchObject({ success: false, error: { code: "RATE_LIMITED" } });
  });

  it("cannot be raced: of 10 parallel wrong guesses for one account, at most 5 are checked", async () => {
    const user = await userWithPassword();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postJson("/api/v1/auth/login", { email: user.email, password: `parallel guess ${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
  });

  it("limits attempts per IP across accounts (N+1th attempt from one IP is 429)", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}-${unique("ip")}`;
    const limits = { LOGIN_RATE_LIMITS: JSON.stringify({ ip: { limit: 3, window: "60 s" } }) };
    for (let i = 1; i <= 3; i++) {
      const res = await postJsonWithEnv(
        "/api/v1/auth/login",
        limits,
        { email: `${unique("spray")}@example.com`, password: "guessed password" },
        { "CF-Connecting-IP": ip },
      );
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const blocked = await postJsonWithEnv(
      "/api/v1/auth/login",
      limits,
      { email: `${unique("spray")}@example.com`, password: "guessed password" },
      { "CF-Connecting-IP": ip },
    );
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBeTruthy();
    // Another IP is unaffected.
    const other = await postJsonWithEnv(
      "/api/v1/auth/login",
      limits,
      { email: `${unique("spray")}@example.com`, password: "guessed password" },
      { "CF-Connecting-IP": `${ip}-other` },
    );
    expect(other.status).toBe(401);
  });

  it("fails closed (503) when Redis is down", async () => {
    const user = await userWithPassword();
    const res = await postJsonWithEnv(
      "/api/v1/auth/login",
      { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" },
      { email: user.email, password: PASSWORD },
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ success: false, error: { code: "SERVICE_UNAVAILABLE" } });
  });

  it("is 503 when the JWT signing key is not configured", async () => {
    const user = await userWithPassword();
    const res = await postJsonWithEnv(
      "/api/v1/auth/login",
      { JWT_PRIVATE_KEY: undefined },
      { email: user.email, password: PASSWORD },
    );
    expect(res.status).toBe(503);
  });

  it("is 400 naming the field for a missing email", async () => {
    const res = await postJson("/api/v1/auth/login", { password: PASSWORD });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Envelope).error.message).toContain("email");
  });
});
