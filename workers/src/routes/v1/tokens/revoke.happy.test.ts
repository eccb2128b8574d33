import { describe, expect, it } from "vitest";
import { call, createUser, jwtBearerFor } from "../../../../test/helpers";
import { RevokeTokenResponseSchema } from "./revoke";

describe("DELETE /api/v1/tokens/{id}", () => {
  it("revokes the token at once: the next request with it is 401", async () => {
    const auth = await jwtBearerFor("user", (await createUser("user")).id);
    const made = await call("/api/v1/tokens", {
      method: "POST",
      headers: { Authorization: auth, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "short-lived" }),
    });
    const { id, token } = ((await made.json()) as { data: { id: string; token: string } }).data;
    expect((await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);

    const res = await call(`/api/v1/tokens/${id}`, { method: "DELETE", headers: { Authorization: auth } });
    expect(res.status).toBe(200);
    expect(RevokeTokenResponseSchema.parse(await res.json()).data.id).toBe(id);

    const after = await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    const listed = (await (await call("/api/v1/tokens", { headers: { Authorization: auth } })).json()) as {
      data: Array<{ id: string }>;
    };
    expect(listed.data.map((t) => t.id)).not.toContain(id);
  });

  it("lets a token revoke itself", async () => {
    const auth = await jwtBearerFor("user", (await createUser("user")).id);
    const made = await call("/api/v1/tokens", {
      method: "POST",
      headers: { Authorization: auth, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "self" }),
    });
    const { id, token } = ((await made.json()) as { data: { id: string; token: string } }).data;
    expect((await call(`/api/v1/tokens/${id}`, { method: "DELETE", headers: { Authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    expect((await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
