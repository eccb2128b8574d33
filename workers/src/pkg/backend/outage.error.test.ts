/**
 * Outages of the data plane, as the Worker sees them: Postgres or Redis paused (the connection is
 * accepted and never answered: the test web server's `__paused` endpoints stand in for a stopped
 * process) or stopped (connection refused). Every call is bounded (pkg/backend/bounds.ts), so no
 * request waits beyond its bound plus a margin; with Postgres gone every route that needs it answers
 * 503 in the envelope with Retry-After; with Redis gone reads still answer, uncached, and the
 * routes that need Redis follow their documented rule (docs/architecture.md, "Outages").
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bearerFor, call, callWithEnv, jwtBearerFor, testEnv, unique } from "../../../test/helpers";
import { sampleItem } from "../../../test/listings";
import { insertProperties } from "../../../test/property-rows";
import type { Env } from "../../env";

const DB_BOUND_MS = 800;
const REDIS_BOUND_MS = 300;
/** Scheduling on a busy 2-core machine, plus the few bounded calls a request makes before it answers. */
const MARGIN_MS = 2_500;

const fixtureUrl = testEnv.FIXTURE_URL as string;
const pausedUrl = (what: string) => `${fixtureUrl}/${unique("outage")}/__paused/${what}`;

const postgresPaused = (): Partial<Env> => ({
  NEON_HTTP_ENDPOINT: pausedUrl("sql"),
  NEON_WS_PROXY: pausedUrl("ws").replace(/^http/, "ws"),
  DB_TIMEOUT_MS: String(DB_BOUND_MS),
});
/** Nothing listens on the discard port: connections are refused at once. */
const postgresStopped = (): Partial<Env> => ({
  NEON_HTTP_ENDPOINT: "http://127.0.0.1:9/sql",
  NEON_WS_PROXY: "ws://127.0.0.1:9",
  DB_TIMEOUT_MS: String(DB_BOUND_MS),
});
const redisPaused = (): Partial<Env> => ({
  UPSTASH_REDIS_REST_URL: pausedUrl("redis"),
  REDIS_TIMEOUT_MS: String(REDIS_BOUND_MS),
});
const redisStopped = (): Partial<Env> => ({
  UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9",
  REDIS_TIMEOUT_MS: String(REDIS_BOUND_MS),
});

type Envelope = { success: boolean; error?: { code: string; message: string; request_id: string } };

async function timed(path: string, overrides: Partial<Env>, init?: RequestInit) {
  const started = Date.now();
  const res = await callWithEnv(path, overrides, init);
  const text = await res.text();
  return { res, body: (text ? JSON.parse(text) : undefined) as Envelope, ms: Date.now() - started };
}

type RouteCase = { name: string; path: string; init: () => Promise<RequestInit> | RequestInit };

describe("data plane outages", () => {
  let admin: string;
  let user: string;
  let service: string;
  let propertyId: string;
  const city = unique("Outageville");
  const json = (body: unknown, auth?: string): RequestInit => ({
    method: "POST",
    headers: { "Content-Type": "application/json", ...(auth ? { Authorization: auth } : {}) },
    body: JSON.stringify(body),
  });

  beforeAll(async () => {
    admin = await jwtBearerFor("admin");
    user = await jwtBearerFor("user");
    service = await bearerFor("service", { service: "outage" });
    propertyId = (await insertProperties([{ city, price: 500000 }]))[0]!;
  });

  /** Every route that reads or writes Postgres, with a request that gets past validation and auth. */
  const needsPostgres = (): RouteCase[] => [
    // A query of its own, so no cached answer hides the outage.
    { name: "search", path: `/api/v1/properties?city=${unique("Nowhere")}`, init: () => ({}) },
    { name: "get", path: `/api/v1/properties/${propertyId}`, init: () => ({}) },
    { name: "stats", path: `/api/v1/stats?city=${unique("Nowhere")}`, init: () => ({}) },
    { name: "facets", path: `/api/v1/facets?fields=city&city=${unique("Nowhere")}`, init: () => ({}) },
    {
      name: "create (API token looked up)",
      path: "/api/v1/properties",
      init: () => json(sampleItem({ source: "outage" }), service),
    },
    { name: "batch", path: "/api/v1/properties/batch", init: () => json({ items: [sampleItem()] }, admin) },
    {
      name: "delete",
      path: `/api/v1/properties/${propertyId}`,
      init: () => ({ method: "DELETE", headers: { Authorization: admin } }),
    },
    {
      name: "signup",
      path: "/api/v1/auth/signup",
      init: () => json({ email: `${unique("o")}@x.test`, password: "correct horse battery" }),
    },
    {
      name: "login",
      path: "/api/v1/auth/login",
      init: () => json({ email: `${unique("o")}@x.test`, password: "correct horse battery" }),
    },
    { name: "tokens list", path: "/api/v1/tokens", init: () => ({ headers: { Authorization: user } }) },
    { name: "tokens create", path: "/api/v1/tokens", init: () => json({ name: "outage" }, user) },
    {
      name: "tokens revoke",
      path: `/api/v1/tokens/${crypto.randomUUID()}`,
      init: () => ({ method: "DELETE", headers: { Authorization: user } }),
    },
    {
      name: "service tokens",
      path: "/api/v1/admin/service-tokens",
      init: () => json({ service: "outage-x", sources: ["outage.example"] }, admin),
    },
    { name: "enrichment", path: "/api/v1/admin/enrichment", init: () => ({ headers: { Authorization: admin } }) },
    { name: "health", path: "/api/v1/health", init: () => ({}) },
  ];

  for (const [state, overrides] of [
    ["paused", postgresPaused],
    ["stopped", postgresStopped],
  ] as const) {
    it(`Postgres ${state}: every route that needs it answers 503 in the envelope, within its bound`, {
      timeout: 120_000,
    }, async () => {
      for (const route of needsPostgres()) {
        const { res, body, ms } = await timed(route.path, overrides(), await route.init());
        const where = `${route.name}: ${res.status} ${JSON.stringify(body)} in ${ms} ms`;
        expect(res.status, where).toBe(503);
        expect(body.success, where).toBe(false);
        expect(body.error?.code, where).toBe("SERVICE_UNAVAILABLE");
        expect(body.error?.request_id, where).toBe(res.headers.get("x-request-id"));
        expect(Number(res.headers.get("retry-after")), where).toBeGreaterThan(0);
        expect(ms, where).toBeLessThan(DB_BOUND_MS + MARGIN_MS);
      }
    });
  }

  for (const [state, overrides] of [
    ["paused", redisPaused],
    ["stopped", redisStopped],
  ] as const) {
    it(`Redis ${state}: reads still answer, uncached, within the bound`, { timeout: 60_000 }, async () => {
      for (const path of [
        `/api/v1/properties?city=${city}`,
        `/api/v1/properties/${propertyId}`,
        `/api/v1/stats?city=${city}`,
        `/api/v1/facets?fields=city&city=${city}`,
      ]) {
        const { res, body, ms } = await timed(path, overrides());
        const where = `${path}: ${res.status} ${JSON.stringify(body).slice(0, 300)} in ${ms} ms`;
        expect(res.status, where).toBe(200);
        expect(ms, where).toBeLessThan(3 * REDIS_BOUND_MS + MARGIN_MS);
      }
    });

    it(`Redis ${state}: credential routes fail closed (503), ingest with Idempotency-Key is 503, without it is stored`, {
      timeout: 60_000,
    }, async () => {
      const cases: Array<[string, string, RequestInit, number]> = [
        ["login", "/api/v1/auth/login", json({ email: `${unique("o")}@x.test`, password: "correct horse battery" }), 503],
        ["tokens", "/api/v1/tokens", { headers: { Authorization: user } }, 503],
        [
          "ingest with key",
          "/api/v1/properties",
          {
            method: "POST",
            headers: { "Content-Type": "application/json", Authorization: service, "Idempotency-Key": unique("k") },
            body: JSON.stringify(sampleItem({ source: "outage" })),
          },
          503,
        ],
        ["ingest without key", "/api/v1/properties", json(sampleItem({ source: "outage" }), service), 201],
        ["health", "/api/v1/health", {}, 503],
      ];
      for (const [name, path, init, status] of cases) {
        const { res, body, ms } = await timed(path, overrides(), init);
        const where = `${name}: ${res.status} ${JSON.stringify(body).slice(0, 300)} in ${ms} ms`;
        expect(res.status, where).toBe(status);
        if (status === 503) {
          expect(body.error?.code, where).toBe("SERVICE_UNAVAILABLE");
          expect(Number(res.headers.get("retry-after")), where).toBeGreaterThan(0);
        }
        expect(ms, where).toBeLessThan(4 * REDIS_BOUND_MS + MARGIN_MS);
      }
    });
  }

  it("after the outage the same routes answer again", async () => {
    const res = await call(`/api/v1/properties/${propertyId}`);
    expect([200, 404]).toContain(res.status);
  });
});
