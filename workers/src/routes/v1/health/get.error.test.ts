import { describe, expect, it } from "vitest";
import { callWithEnv, testEnv } from "../../../../test/helpers";
import { HealthUnavailableSchema } from "./get";

async function expectUnavailable(res: Response, checks: { database: string; redis: string }) {
  expect(res.status).toBe(503);
  const body = HealthUnavailableSchema.parse(await res.json());
  expect(body.checks).toEqual(checks);
  expect(body.error.code).toBe("SERVICE_UNAVAILABLE");
  expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
}

describe("GET /api/v1/health when dependencies fail", () => {
  it("is 503 with the error envelope when no database URL is configured", async () => {
    const res = await callWithEnv("/api/v1/health", { DATABASE_URL: undefined });
    await expectUnavailable(res, { database: "error", redis: "ok" });
  });

  it("is 503 when the database does not answer", async () => {
    const url = new URL(testEnv.DATABASE_URL as string);
    url.pathname = "/no_such_database";
    const res = await callWithEnv("/api/v1/health", { DATABASE_URL: url.toString() });
    await expectUnavailable(res, { database: "error", redis: "ok" });
  });

  it("is 503 when redis is down", async () => {
    const res = await callWithEnv("/api/v1/health", { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" });
    await expectUnavailable(res, { database: "ok", redis: "error" });
  });

  it("answers unknown routes with the NOT_FOUND envelope", async () => {
    const res = await callWithEnv("/api/v1/nope", {});
    expect(res.status).toBe(404);
    const body = (await res.json()) as { success: boolean; error: { code: string } };
    expect(body).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
  });
});
