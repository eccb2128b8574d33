import { describe, expect, it } from "vitest";
import { jsonCall, userAuth } from "./test-helpers";

describe("POST /api/v1/saved-searches/{id}/seen with bad input", () => {
  it("is 400 for an id that is not a UUID and 404 for an unknown one, with the envelope", async () => {
    const auth = await userAuth();
    const bad = await jsonCall("/api/v1/saved-searches/not-a-uuid/seen", "POST", auth);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ success: false, error: { code: "VALIDATION_FAILED" } });
    const unknown = await jsonCall(`/api/v1/saved-searches/${crypto.randomUUID()}/seen`, "POST", auth);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
  });
});
