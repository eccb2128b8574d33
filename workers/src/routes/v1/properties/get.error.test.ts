import { describe, expect, it } from "vitest";
import { call } from "../../../../test/helpers";

describe("GET /api/v1/properties/{id}: not found", () => {
  it.each([
    ["an unknown id", "00000000-0000-4000-8000-000000000000"],
    ["a malformed id", "not-a-uuid"],
    ["an SQL-looking id", "1'%20OR%20'1'='1"],
  ])("is a 404 envelope for %s", async (_, id) => {
    const res = await call(`/api/v1/properties/${id}`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { success: boolean; error: { code: string; request_id: string } };
    expect(body).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
    expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
  });

  it("rejects unknown query parameters", async () => {
    const res = await call("/api/v1/properties/00000000-0000-4000-8000-000000000000?expand=all");
    // The detail takes no query parameters; an unknown one must not be silently ignored.
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringContaining("expand") });
  });
});
