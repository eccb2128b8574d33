import { describe, expect, it } from "vitest";
import { bearerFor, call } from "../../../../test/helpers";

describe("POST /api/v1/admin/service-tokens with bad input", () => {
  it.each([
    ["no service", {}, "service"],
    ["a service name with spaces", { service: "my connector" }, "service"],
    ["an upper-case service name", { service: "Zillow" }, "service"],
    ["an unknown field", { service: "ok", role: "admin" }, ""],
  ])("is 400 naming the field for %s", async (_, body, field) => {
    const res = await call("/api/v1/admin/service-tokens", {
      method: "POST",
      headers: { Authorization: await bearerFor("admin"), "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(field);
  });
});
