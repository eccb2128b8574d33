import { describe, expect, it } from "vitest";
import { bearerFor, call, callWithEnv } from "../../../../test/helpers";

describe("GET /api/v1/admin/enrichment: errors", () => {
  it("rejects unknown query parameters with a 400 naming them", async () => {
    const res = await call("/api/v1/admin/enrichment?sauce=x", { headers: { Authorization: await bearerFor("admin") } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
  });

  it("rejects an empty source filter", async () => {
    const res = await call("/api/v1/admin/enrichment?source=", { headers: { Authorization: await bearerFor("admin") } });
    expect(res.status).toBe(400);
  });

  it("is a 503 with the error envelope when the database is not configured", async () => {
    const auth = await bearerFor("admin");
    const res = await callWithEnv("/api/v1/admin/enrichment", { DATABASE_URL: undefined }, { headers: { Authorization: auth } });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
  });
});
