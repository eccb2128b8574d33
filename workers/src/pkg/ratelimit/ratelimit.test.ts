/**
 * The API rate limit, tested with small limits through `callWithEnv` (the suite's own bindings set
 * limits far above what tests send) and identities of their own, so no other test can use them up.
 */
import { describe, expect, it, vi } from "vitest";
import { bearerFor, callWithEnv, testEnv, unique } from "../../../test/helpers";
import { sampleItem } from "../../../test/listings";
import { getSql } from "../db";

const limits = (limit: number) =>
  JSON.stringify({
    anonymous: { limit, window: "60 s" },
    user: { limit, window: "60 s" },
    service: { limit, window: "60 s" },
    admin: { limit, window: "60 s" },
  });

const get = (path: string, limit: number, headers: Record<string, string>) =>
  callWithEnv(path, { RATE_LIMITS: limits(limit) }, { headers });

describe("API rate limits", () => {
  it("with a limit of N, headers count down and request N+1 is 429 with Retry-After and the envelope", async () => {
    const auth = { Authorization: await bearerFor("user") };
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await get("/api/v1/tokens", 3, auth);
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBe("3");
      const reset = Number(res.headers.get("ratelimit-reset"));
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(60);
      remaining.push(res.headers.get("ratelimit-remaining") ?? "");
    }
    expect(remaining).toEqual(["2", "1", "0"]);

    const blocked = await get("/api/v1/tokens", 3, auth);
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(blocked.headers.get("ratelimit-remaining")).toBe("0");
    const body = (await blocked.json()) as { success: boolean; error: { code: string; request_id: string } };
    expect(body).toMatchObject({ success: false, error: { code: "RATE_LIMITED" } });
    expect(body.error.request_id).toBe(blocked.headers.get("x-request-id"));
  });

  it("limits per identity: one token's exhaustion does not affect another's", async () => {
    const first = { Authorization: await bearerFor("user") };
    const second = { Authorization: await bearerFor("user") };
    for (let i = 0; i < 2; i++) expect((await get("/api/v1/tokens", 2, first)).status).toBe(200);
    expect((await get("/api/v1/tokens", 2, first)).status).toBe(429);
    const other = await get("/api/v1/tokens", 2, second);
    expect(other.status).toBe(200);
    expect(other.headers.get("ratelimit-remaining")).toBe("1");
  });

  it("limits anonymous callers per IP", async () => {
    const ip = { "CF-Connecting-IP": unique("198.51.100") };
    for (let i = 0; i < 2; i++) expect((await get("/api/v1/openapi.json", 2, ip)).status).toBe(200);
    expect((await get("/api/v1/openapi.json", 2, ip)).status).toBe(429);
    expect((await get("/api/v1/openapi.json", 2, { "CF-Connecting-IP": unique("198.51.100") })).status).toBe(200);
  });

  it("a refused read answers 429 only: none of the read's own headers, and the next read is refused too", async () => {
    const ip = { "CF-Connecting-IP": unique("203.0.113") };
    const first = await get("/api/v1/properties?limit=1", 1, ip);
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).not.toBeNull();
    for (let i = 0; i < 2; i++) {
      const refused = await get("/api/v1/properties?limit=1", 1, ip);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("etag")).toBeNull();
      expect(refused.headers.get("cache-control") ?? "").not.toMatch(/public|max-age=[1-9]/);
      expect(refused.headers.get("ratelimit-remaining")).toBe("0");
      expect(await refused.json()).toMatchObject({ success: false, error: { code: "RATE_LIMITED" } });
    }
  });

  it("counts a write before it runs: a refused ingest stores nothing", async () => {
    const auth = {
      Authorization: await bearerFor("service", { service: unique("rl-ingest") }),
      "Content-Type": "application/json",
    };
    const post = (item: unknown) =>
      callWithEnv(
        "/api/v1/properties/batch",
        { RATE_LIMITS: limits(1) },
        { method: "POST", headers: auth, body: JSON.stringify({ items: [item] }) },
      );
    const stored = sampleItem();
    expect((await post(stored)).status).toBe(200);
    const refusedItem = sampleItem();
    expect((await post(refusedItem)).status).toBe(429);
    const rows = (await getSql(testEnv).query(
      "SELECT source_listing_id FROM property_sources WHERE source_listing_id = ANY($1)",
      [[stored.source_listing_id, refusedItem.source_listing_id]],
    )) as Array<{ source_listing_id: string }>;
    expect(rows.map((r) => r.source_listing_id)).toEqual([stored.source_listing_id]);
  });

  it("uses the limit of the caller's role", async () => {
    const env = { RATE_LIMITS: JSON.stringify({ user: { limit: 7, window: "60 s" }, admin: { limit: 11, window: "60 s" } }) };
    const user = await callWithEnv("/api/v1/tokens", env, { headers: { Authorization: await bearerFor("user") } });
    const admin = await callWithEnv("/api/v1/tokens", env, { headers: { Authorization: await bearerFor("admin") } });
    expect(user.headers.get("ratelimit-limit")).toBe("7");
    expect(admin.headers.get("ratelimit-limit")).toBe("11");
  });

  it("counts requests with rejected credentials against the caller's IP, and still answers 401 with the headers", async () => {
    const ip = unique("192.0.2");
    const bad = { "CF-Connecting-IP": ip, Authorization: `Bearer pil_${"z".repeat(43)}` };
    const first = await get("/api/v1/tokens", 2, bad);
    expect(first.status).toBe(401);
    expect(first.headers.get("ratelimit-remaining")).toBe("1");
    expect((await get("/api/v1/tokens", 2, bad)).status).toBe(401);
    expect((await get("/api/v1/tokens", 2, bad)).status).toBe(429);
  });

  it("fails open for ordinary endpoints when Redis is down, with a warning log line", async () => {
    const warn = vi.spyOn(console, "warn");
    try {
      const res = await callWithEnv("/api/v1/openapi.json", { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" });
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBeNull();
      const lines = warn.mock.calls.map((c) => JSON.parse(String(c[0])) as { msg: string; request_id: string });
      const line = lines.find((l) => l.msg.includes("rate limiter unavailable"));
      expect(line?.request_id).toBe(res.headers.get("x-request-id"));
    } finally {
      warn.mockRestore();
    }
  });

  it("fails closed (503) for credential endpoints when Redis is down", async () => {
    const auth = await bearerFor("user");
    for (const path of ["/api/v1/tokens"]) {
      const res = await callWithEnv(path, { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" }, { headers: { Authorization: auth } });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ success: false, error: { code: "SERVICE_UNAVAILABLE" } });
    }
  });

  it("treats a broken RATE_LIMITS binding as a server error, not as 'no limit'", async () => {
    const res = await callWithEnv("/api/v1/openapi.json", { RATE_LIMITS: "{not json" });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { code: "INTERNAL" } });
  });
});
