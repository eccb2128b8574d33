import { describe, expect, it } from "vitest";
import { call } from "../../../../test/helpers";
import { SessionSchema } from "./schema";
import { login, postJson, userWithPassword } from "./test-helpers";

describe("POST /api/v1/auth/refresh", () => {
  it("exchanges a refresh token for a new access token and a new refresh token", async () => {
    const user = await userWithPassword();
    const first = await login(user.email);
    const res = await postJson("/api/v1/auth/refresh", { refresh_token: first.refresh_token });
    expect(res.status, await res.clone().text()).toBe(200);
    const { data } = SessionSchema.parse(await res.json());
    expect(data.refresh_token).not.toBe(first.refresh_token);
    expect(data.user.id).toBe(user.id);
    const ok = await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${data.access_token}` } });
    expect(ok.status).toBe(200);
  });

  it("can be chained: each new refresh token works once", async () => {
    const user = await userWithPassword();
    let token = (await login(user.email)).refresh_token;
    for (let i = 0; i < 3; i++) {
      const res = await postJson("/api/v1/auth/refresh", { refresh_token: token });
      expect(res.status).toBe(200);
      token = SessionSchema.parse(await res.json()).data.refresh_token;
    }
  });
});
