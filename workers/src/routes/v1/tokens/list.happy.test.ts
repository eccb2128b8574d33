import { describe, expect, it, vi } from "vitest";
import { call, createUser, jwtBearerFor } from "../../../../test/helpers";
import { ListTokensResponseSchema } from "./list";

describe("GET /api/v1/tokens", () => {
  it("lists the caller's active tokens by prefix, newest first, never the token itself", async () => {
    const user = await createUser("user");
    const auth = await jwtBearerFor("user", user.id);
    const made: string[] = [];
    for (const name of ["first", "second"]) {
      const res = await call("/api/v1/tokens", {
        method: "POST",
        headers: { Authorization: auth, "Content-Type": "application/json" },
        body: JSON.stringify({ name }),
      });
      made.push(((await res.json()) as { data: { token: string } }).data.token);
    }
    const res = await call("/api/v1/tokens", { headers: { Authorization: auth } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const { data } = ListTokensResponseSchema.parse(JSON.parse(text));
    expect(data.map((t) => t.name)).toEqual(["second", "first"]);
    for (const token of made) expect(text).not.toContain(token);
    expect(data.every((t) => t.prefix.startsWith("pil_"))).toBe(true);
  });

  it("shows when a token was last used", async () => {
    const auth = await jwtBearerFor("user", (await createUser("user")).id);
    const made = await call("/api/v1/tokens", {
      method: "POST",
      headers: { Authorization: auth, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "used" }),
    });
    const { id, token } = ((await made.json()) as { data: { id: string; token: string } }).data;
    const before = ListTokensResponseSchema.parse(
      await (await call("/api/v1/tokens", { headers: { Authorization: auth } })).json(),
    );
    expect(before.data.find((t) => t.id === id)?.last_used_at).toBeNull();
    await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${token}` } });
    await vi.waitFor(async () => {
      const after = ListTokensResponseSchema.parse(
        await (await call("/api/v1/tokens", { headers: { Authorization: auth } })).json(),
      );
      expect(after.data.find((t) => t.id === id)?.last_used_at).not.toBeNull();
    });
  });
});
