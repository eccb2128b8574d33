import { describe, expect, it } from "vitest";
import { LogoutSchema } from "./logout";
import { login, postJson, userWithPassword } from "./test-helpers";

describe("POST /api/v1/auth/logout", () => {
  it("ends the sign-in: its refresh tokens stop working", async () => {
    const user = await userWithPassword();
    const { refresh_token } = await login(user.email);
    const res = await postJson("/api/v1/auth/logout", { refresh_token });
    expect(res.status).toBe(200);
    expect(LogoutSchema.parse(await res.json()).data.signed_out).toBe(true);
    expect((await postJson("/api/v1/auth/refresh", { refresh_token })).status).toBe(401);
  });

  it("leaves the user's other sign-ins alone", async () => {
    const user = await userWithPassword();
    const a = await login(user.email);
    const b = await login(user.email);
    await postJson("/api/v1/auth/logout", { refresh_token: a.refresh_token });
    expect((await postJson("/api/v1/auth/refresh", { refresh_token: b.refresh_token })).status).toBe(200);
  });
});
