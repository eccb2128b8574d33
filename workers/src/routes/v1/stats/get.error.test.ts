import { describe, expect, it } from "vitest";
import { call } from "../../../../test/helpers";

describe("GET /api/v1/stats: bad requests", () => {
  it.each([
    ["group_by=year", "group_by"],
    ["bogus=1", "bogus"],
    ["min_price=x", "min_price"],
    ["sort=price", "sort"],
    ["bbox=1,2", "bbox"],
    ["currency=US", "currency"],
    ["currency=US1", "currency"],
    ["currency=USD,GBP", "currency"],
  ])("%s is a 400 naming %s", async (query, param) => {
    const res = await call(`/api/v1/stats?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.message).toContain(param);
  });
});
