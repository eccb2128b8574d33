import { describe, expect, it } from "vitest";
import { runCommonRouteTests } from "../../../../test/security";
import { login, postJson, userWithPassword } from "./test-helpers";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/auth/refresh",
  credentials: true,
  allowed: ["anonymous"],
  prepareRequest: async () => ({ body: { refresh_token: (await login((await userWithPassword()).email)).refresh_token } }),
});

describe("POST /api/v1/auth/refresh security", () => {
  it("does not accept an access token as a refresh token", async () => {
    const { access_token } = await login((await userWithPassword()).email);
    // Longer than any refresh token, so it is already rejected by validation (400); never a session.
    expect([400, 401]).toContain((await postJson("/api/v1/auth/refresh", { refresh_token: access_token })).status);
  });

  it("does not accept an API token as a refresh token", async () => {
    expect((await postJson("/api/v1/auth/refresh", { refresh_token: `pil_${"a".repeat(43)}` })).status).toBe(401);
  });
});
