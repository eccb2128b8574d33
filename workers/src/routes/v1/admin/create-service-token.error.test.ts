import { describe, expect, it } from "vitest";
import { bearerFor, call } from "../../../../test/helpers";

describe("POST /api/v1/admin/service-tokens with bad input", () => {
  it.each([
    ["no service", { sources: ["*"] }, "service"],
    ["a service name with spaces", { service: "my connector", sources: ["*"] }, "service"],
    ["an upper-case service name", { service: "Zillow", sources: ["*"] }, "service"],
    ["an unknown field", { service: "ok", sources: ["*"], role: "admin" }, ""],
    ["no sources (a grant is always explicit)", { service: "ok" }, "sources"],
    ["an empty source list", { service: "ok", sources: [] }, "sources"],
    ["* next to names", { service: "ok", sources: ["*", "a.example"] }, "sources"],
    ["a source name with spaces", { service: "ok", sources: ["my site"] }, "sources"],
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
