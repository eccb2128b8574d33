import { describe, expect, it } from "vitest";
import { call, callWithEnv } from "../../../../test/helpers";
import { userAuth } from "../saved-searches/test-helpers";

describe("GET /api/v1/live/saved-searches with bad input", () => {
  it.each(["timeout=0", "timeout=601", "timeout=soon", "user_id=00000000-0000-0000-0000-000000000000", "city=Hobart"])(
    "is 400 with the envelope for %s",
    async (q) => {
      const res = await call(`/api/v1/live/saved-searches?${q}`, { headers: { Authorization: await userAuth() } });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ success: false, error: { code: "VALIDATION_FAILED" } });
    },
  );

  it("is 503 with the envelope when the hub is not bound", async () => {
    const res = await callWithEnv(
      "/api/v1/live/saved-searches?timeout=1",
      { LIVE_HUB: undefined },
      {
        headers: { Authorization: await userAuth() },
      },
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ success: false, error: { code: "SERVICE_UNAVAILABLE" } });
  });
});
