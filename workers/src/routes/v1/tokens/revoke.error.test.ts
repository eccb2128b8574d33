import { describe, expect, it } from "vitest";
import { bearerFor, call, createUser, jwtBearerFor } from "../../../../test/helpers";

describe("DELETE /api/v1/tokens/{id} with bad input", () => {
  it("is 400 naming the field for an id that is not a UUID", async () => {
    const res = await call("/api/v1/tokens/not-a-uuid", {
      method: "DELETE",
      headers: { Authorization: await bearerFor("user") },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("id");
  });

  it("is 404 for an unknown id", async () => {
    const res = await call(`/api/v1/tokens/${crypto.randomUUID()}`, {
      method: "DELETE",
      headers: { Authorization: await bearerFor("user") },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
  });

  it("is 404 the second time (already revoked)", async () => {
    const auth = await jwtBearerFor("user", (await createUser("user")).id);
    const made = await call("/api/v1/tokens", {
      method: "POST",
      headers: { Authorization: auth, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "twice" }),
    });
    const { id } = ((await made.json()) as { data: { id: string } }).data;
    expect((await call(`/api/v1/tokens/${id}`, { method: "DELETE", headers: { Authorization: auth } })).status).toBe(200);
    expect((await call(`/api/v1/tokens/${id}`, { method: "DELETE", headers: { Authorization: auth } })).status).toBe(404);
  });
});
