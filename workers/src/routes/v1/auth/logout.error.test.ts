import { describe, expect, it } from "vitest";
import { postJson } from "./test-helpers";

describe("POST /api/v1/auth/logout with bad input", () => {
  it("accepts an unknown refresh token silently (nothing to sign out)", async () => {
    expect((await postJson("/api/v1/auth/logout", { refresh_token: "plr_unknown" })).status).toBe(200);
  });

  it("is 400 naming the field without a refresh_token", async () => {
    const res = await postJson("/api/v1/auth/logout", { token: "x" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
  });
});
