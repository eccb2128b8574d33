import { describe, expect, it } from "vitest";
import { bearerFor, call } from "../../../../test/helpers";

describe("DELETE /api/v1/properties/{id} errors", () => {
  it.each([
    ["an unknown id", crypto.randomUUID()],
    ["a malformed id", "not-a-uuid"],
    ["an SQL-looking id", "1' OR '1'='1"],
  ])("answers %s with 404", async (_, id) => {
    const res = await call(`/api/v1/properties/${encodeURIComponent(id)}`, {
      method: "DELETE",
      headers: { Authorization: await bearerFor("admin") },
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });
});
