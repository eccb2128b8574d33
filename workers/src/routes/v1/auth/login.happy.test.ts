import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { call, testEnv } from "../../../../test/helpers";
import { ACCESS_TOKEN_TTL_SECONDS, jwtAudience, jwtIssuer } from "../../../pkg/auth";
import { SessionSchema } from "./schema";
import { PASSWORD, postJson, userWithPassword } from "./test-helpers";

describe("POST /api/v1/auth/login", () => {
  it("returns a short-lived ES256 access JWT with iss, aud, sub, role, iat, exp and a refresh token", async () => {
    const user = await userWithPassword();
    const res = await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD });
    expect(res.status, await res.clone().text()).toBe(200);
    const { data } = SessionSchema.parse(await res.json());
    expect(data.user).toEqual({ id: user.id, email: user.email, role: "user", has_password: true });
    expect(data.expires_in).toBe(ACCESS_TOKEN_TTL_SECONDS);

    const header = decodeProtectedHeader(data.access_token);
    expect(header).toMatchObject({ alg: "ES256", typ: "at+jwt", kid: JSON.parse(testEnv.JWT_PRIVATE_KEY as string).kid });
    const claims = decodeJwt(data.access_token);
    expect(claims).toMatchObject({ sub: user.id, role: "user", iss: jwtIssuer(testEnv), aud: jwtAudience(testEnv) });
    expect((claims.exp as number) - (claims.iat as number)).toBe(ACCESS_TOKEN_TTL_SECONDS);
  });

  it("accepts the email in any case", async () => {
    const user = await userWithPassword();
    const res = await postJson("/api/v1/auth/login", { email: user.email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
  });

  it("issues a JWT that authenticates the user with the user's role", async () => {
    const admin = await userWithPassword("admin");
    const res = await postJson("/api/v1/auth/login", { email: admin.email, password: PASSWORD });
    const { data } = SessionSchema.parse(await res.json());
    const minted = await postJson(
      "/api/v1/admin/service-tokens",
      { service: "login-test", sources: ["login-test.example"] },
      { Authorization: `Bearer ${data.access_token}` },
    );
    expect(minted.status).toBe(201);
    const listed = await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${data.access_token}` } });
    expect(listed.status).toBe(200);
  });

  it("forgives earlier failures after a successful sign-in", async () => {
    const user = await userWithPassword();
    for (let i = 0; i < 4; i++) {
      expect((await postJson("/api/v1/auth/login", { email: user.email, password: "wrong password!!" })).status).toBe(401);
    }
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(200);
    for (let i = 0; i < 4; i++) {
      expect((await postJson("/api/v1/auth/login", { email: user.email, password: "wrong password!!" })).status).toBe(401);
    }
    expect((await postJson("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status).toBe(200);
  });
});
