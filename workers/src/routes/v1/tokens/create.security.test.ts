import { describe, expect, it } from "vitest";
import { bearerFor, call } from "../../../../test/helpers";
import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({
  method: "POST",
  path: "/api/v1/tokens",
  credentials: true,
  allowed: ["user"],
  prepareRequest: async () => ({ body: { name: "security test" } }),
});

describe("POST /api/v1/tokens security", () => {
  it("refuses credentials that belong to no user (connector service tokens) even with the admin role", async () => {
    // An ownerless admin token (as `npm run token -- --role admin` makes) cannot own API tokens.
    const { mintApiToken } = await import("../../../pkg/auth");
    const { testEnv } = await import("../../../../test/helpers");
    const { token } = await mintApiToken(testEnv, { name: "ownerless", role: "admin", userId: null });
    const res = await call("/api/v1/tokens", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "x" }),
    });
    expect(res.status).toBe(403);
  });

  it("a user token cannot mint a service or admin token (no privilege escalation)", async () => {
    const auth = await bearerFor("user");
    for (const role of ["service", "admin"]) {
      const res = await call("/api/v1/tokens", {
        method: "POST",
        headers: { Authorization: auth, "Content-Type": "application/json" },
        body: JSON.stringify({ name: "x", role }),
      });
      expect(res.status).toBe(403);
    }
  });
});
