/**
 * API token identities remembered at the edge (identity-cache.ts): a warm token makes no Postgres trip,
 * revocation is immediate in the data centre that revoked and bounded by the TTL elsewhere. Trips are
 * counted by the local stand-ins (workers/test/distance.ts).
 */
import { describe, expect, it } from "vitest";
import { taggedWorker } from "../../../test/distance";
import { bearerFor, testEnv, unique } from "../../../test/helpers";
import { insertProperties } from "../../../test/property-rows";
import { getSql } from "../db";
import { sha256Hex } from "./api-token";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("token identity at the edge", () => {
  it("a warm token adds no Postgres trip", async () => {
    const city = unique("Tokenwarm");
    await insertProperties([{ city }]);
    const edge = taggedWorker();
    const headers = { Authorization: await bearerFor("user") };
    const url = `/api/v1/properties?city=${city}`;
    const t0 = await edge.trips();
    expect((await edge.call(url, { headers })).status).toBe(200);
    const t1 = await edge.trips();
    expect(t1.postgres).toBeGreaterThan(t0.postgres);
    // The token is warm and the search is in Redis: Redis (limit + cache, one pipeline each, in parallel) only.
    const res = await edge.call(url, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-cache")).toBe("hit");
    const t2 = await edge.trips();
    expect(t2.postgres).toBe(t1.postgres);
  });

  it("a revoked token stops working at once where it was revoked", async () => {
    const edge = taggedWorker();
    const header = await bearerFor("user");
    const list = await edge.call("/api/v1/tokens", { headers: { Authorization: header } });
    expect(list.status).toBe(200);
    const token = header.slice("Bearer ".length);
    const hash = await sha256Hex(token);
    const [row] = (await getSql(testEnv).query("SELECT id FROM api_tokens WHERE token_hash = $1", [hash])) as Array<{
      id: string;
    }>;
    const revoked = await edge.call(`/api/v1/tokens/${row?.id}`, { method: "DELETE", headers: { Authorization: header } });
    expect(revoked.status).toBe(200);
    const after = await edge.call("/api/v1/tokens", { headers: { Authorization: header } });
    expect(after.status).toBe(401);
  });

  it("a token revoked elsewhere stops working here within the identity TTL", async () => {
    const edge = taggedWorker({ TOKEN_IDENTITY_TTL_SECONDS: "1" });
    const header = await bearerFor("user");
    expect((await edge.call("/api/v1/tokens", { headers: { Authorization: header } })).status).toBe(200);
    // Revoked in the database only, as a revocation handled in another data centre is seen from here.
    const hash = await sha256Hex(header.slice("Bearer ".length));
    await getSql(testEnv).query("UPDATE api_tokens SET revoked_at = now() WHERE token_hash = $1", [hash]);
    const soon = await edge.call("/api/v1/tokens", { headers: { Authorization: header } });
    // Still remembered (within its 1 s) unless this machine was slower than that.
    expect([200, 401]).toContain(soon.status);
    await sleep(1_100);
    expect((await edge.call("/api/v1/tokens", { headers: { Authorization: header } })).status).toBe(401);
  });

  it("never remembers an invalid token", async () => {
    const edge = taggedWorker();
    const bad = { Authorization: "Bearer pil_not-a-real-token-at-all" };
    expect((await edge.call("/api/v1/tokens", { headers: bad })).status).toBe(401);
    const t0 = await edge.trips();
    expect((await edge.call("/api/v1/tokens", { headers: bad })).status).toBe(401);
    expect((await edge.trips()).postgres).toBeGreaterThan(t0.postgres);
  });
});
