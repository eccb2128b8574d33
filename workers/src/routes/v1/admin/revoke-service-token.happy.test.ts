import { describe, expect, it } from "vitest";
import { bearerFor, call } from "../../../../test/helpers";
import { sha256Hex } from "../../../pkg/auth";
import { cachedTokenIdentity } from "../../../pkg/auth/identity-cache";

describe("DELETE /api/v1/admin/service-tokens/{id}", () => {
  it("revokes a service token, which stops working at once; a second revoke is 404", async () => {
    const admin = await bearerFor("admin");
    const created = await call("/api/v1/admin/service-tokens", {
      method: "POST",
      headers: { Authorization: admin, "Content-Type": "application/json" },
      body: JSON.stringify({ service: "revoke-test", sources: ["revoke.example"] }),
    });
    const { data } = (await created.json()) as { data: { id: string; token: string } };
    expect((await call("/api/v1/properties?limit=1", { headers: { Authorization: `Bearer ${data.token}` } })).status).toBe(200);
    const res = await call(`/api/v1/admin/service-tokens/${data.id}`, { method: "DELETE", headers: { Authorization: admin } });
    expect(res.status).toBe(200);
    expect((await call("/api/v1/properties?limit=1", { headers: { Authorization: `Bearer ${data.token}` } })).status).toBe(401);
    const again = await call(`/api/v1/admin/service-tokens/${data.id}`, { method: "DELETE", headers: { Authorization: admin } });
    expect(again.status).toBe(404);
  });

  it("a token whose identity is cached at the edge also stops at once (the cache entry is forgotten)", async () => {
    const admin = await bearerFor("admin");
    const created = await call("/api/v1/admin/service-tokens", {
      method: "POST",
      headers: { Authorization: admin, "Content-Type": "application/json" },
      body: JSON.stringify({ service: "revoke-cached", sources: ["revoke.example"] }),
    });
    const { data } = (await created.json()) as { data: { id: string; token: string } };
    const use = () => call("/api/v1/properties?limit=1", { headers: { Authorization: `Bearer ${data.token}` } });
    expect((await use()).status).toBe(200);
    // The identity is remembered after the answer (waitUntil): wait until it is there.
    const hash = await sha256Hex(data.token);
    await expect.poll(() => cachedTokenIdentity(hash), { timeout: 10_000 }).toBeDefined();
    const res = await call(`/api/v1/admin/service-tokens/${data.id}`, { method: "DELETE", headers: { Authorization: admin } });
    expect(res.status).toBe(200);
    expect(await cachedTokenIdentity(hash)).toBeUndefined();
    expect((await use()).status).toBe(401);
  });

  it("does not revoke user tokens (404)", async () => {
    const admin = await bearerFor("admin");
    const created = await call("/api/v1/tokens", {
      method: "POST",
      headers: { Authorization: admin, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "a user key" }),
    });
    const { data } = (await created.json()) as { data: { id: string } };
    const res = await call(`/api/v1/admin/service-tokens/${data.id}`, { method: "DELETE", headers: { Authorization: admin } });
    expect(res.status).toBe(404);
  });
});
