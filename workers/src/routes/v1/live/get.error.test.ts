import { describe, expect, it } from "vitest";
import { call, callWithEnv } from "../../../../test/helpers";

async function expect400(path: string, field: string) {
  const res = await call(path);
  expect(res.status).toBe(400);
  const body = (await res.json()) as { success: boolean; error: { code: string; message: string } };
  expect(body.success).toBe(false);
  expect(body.error.code).toBe("VALIDATION_FAILED");
  expect(body.error.message).toContain(field);
}

describe("GET /api/v1/live with bad input", () => {
  it("rejects an unknown parameter by name", () => expect400("/api/v1/live?bogus=1", "bogus"));
  it("rejects a malformed bbox", () => expect400("/api/v1/live?bbox=1,2,3", "bbox"));
  it("rejects an unknown status", () => expect400("/api/v1/live?status=active,gone", "status"));
  it("rejects a radius above 100 km", () => expect400("/api/v1/live?near=47.6,-122.3&radius_km=101", "radius_km"));
  it("rejects near without radius_km", () => expect400("/api/v1/live?near=47.6,-122.3", "near"));
  it("rejects a negative price", () => expect400("/api/v1/live?min_price=-5", "min_price"));

  it("is 503 with the envelope when the hub is not bound", async () => {
    const res = await callWithEnv("/api/v1/live?timeout=1", { LIVE_HUB: undefined });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ success: false, error: { code: "SERVICE_UNAVAILABLE" } });
  });
});
