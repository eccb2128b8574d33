import { describe, expect, it } from "vitest";
import { bearerFor, call } from "../../../../test/helpers";

describe("GET /api/v1/tokens with bad input", () => {
  it("is 400 for an unknown query parameter", async () => {
    const res = await call("/api/v1/tokens?user_id=someone", { headers: { Authorization: await bearerFor("user") } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
  });

  it("is an empty list for a user without tokens made through the API (their own bearer aside)", async () => {
    const res = await call("/api/v1/tokens", { headers: { Authorization: await bearerFor("user") } });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: unknown[] };
    expect(data).toHaveLength(1);
  });
});
