import { describe, expect, it } from "vitest";
import { call } from "../../../../test/helpers";
import { HealthSchema } from "./get";

describe("GET /api/v1/health", () => {
  it("reports ok for a reachable database and redis", async () => {
    const res = await call("/api/v1/health");
    expect(res.status).toBe(200);
    const body = HealthSchema.parse(await res.json());
    expect(body).toMatchObject({ success: true, status: "ok", checks: { database: "ok", redis: "ok" } });
    expect(body.version).toBe("0.1.0");
  });

  it("echoes a caller's request id", async () => {
    const res = await call("/api/v1/health", { headers: { "X-Request-Id": "abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123");
  });

  it("makes a request id when none (or a malformed one) is given", async () => {
    const res = await call("/api/v1/health", { headers: { "X-Request-Id": "bad id with spaces" } });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
