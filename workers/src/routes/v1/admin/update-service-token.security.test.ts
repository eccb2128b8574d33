import { describe, expect, it } from "vitest";
import { bearerFor, call } from "../../../../test/helpers";
import { runCommonRouteTests } from "../../../../test/security";

async function serviceTokenId(): Promise<string> {
  const res = await call("/api/v1/admin/service-tokens", {
    method: "POST",
    headers: { Authorization: await bearerFor("admin"), "Content-Type": "application/json" },
    body: JSON.stringify({ service: "patch-security", sources: ["a.example"] }),
  });
  return ((await res.json()) as { data: { id: string } }).data.id;
}

const id = await serviceTokenId();

runCommonRouteTests({
  method: "PATCH",
  path: `/api/v1/admin/service-tokens/${id}`,
  allowed: ["admin"],
  credentials: true,
  prepareRequest: async () => ({ body: { sources: ["a.example"] } }),
});

describe("PATCH /api/v1/admin/service-tokens/{id} security", () => {
  it("a service token cannot widen its own grant", async () => {
    const res = await call("/api/v1/admin/service-tokens", {
      method: "POST",
      headers: { Authorization: await bearerFor("admin"), "Content-Type": "application/json" },
      body: JSON.stringify({ service: "self-widen", sources: ["a.example"] }),
    });
    const { id: own, token } = ((await res.json()) as { data: { id: string; token: string } }).data;
    const widen = await call(`/api/v1/admin/service-tokens/${own}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ sources: ["*"] }),
    });
    expect(widen.status).toBe(403);
  });
});
