import { describe, expect, it } from "vitest";
import { call, createUser, jwtBearerFor } from "../../../../test/helpers";
import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({ method: "DELETE", path: `/api/v1/tokens/${crypto.randomUUID()}`, allowed: ["user"] });

describe("DELETE /api/v1/tokens/{id} isolation", () => {
  it("user A cannot revoke user B's token: 404 (not 403), and B's token keeps working", async () => {
    const a = await jwtBearerFor("user", (await createUser("user")).id);
    const b = await jwtBearerFor("user", (await createUser("user")).id);
    const made = await call("/api/v1/tokens", {
      method: "POST",
      headers: { Authorization: b, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "b's token" }),
    });
    const { id, token } = ((await made.json()) as { data: { id: string; token: string } }).data;

    const res = await call(`/api/v1/tokens/${id}`, { method: "DELETE", headers: { Authorization: a } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    expect((await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it("even an admin cannot revoke another user's token through this route", async () => {
    const admin = await jwtBearerFor("admin", (await createUser("admin")).id);
    const b = await jwtBearerFor("user", (await createUser("user")).id);
    const made = await call("/api/v1/tokens", {
      method: "POST",
      headers: { Authorization: b, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "b's token" }),
    });
    const { id } = ((await made.json()) as { data: { id: string } }).data;
    expect((await call(`/api/v1/tokens/${id}`, { method: "DELETE", headers: { Authorization: admin } })).status).toBe(404);
  });
});
