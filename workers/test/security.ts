/**
 * Shared security tests, run by every route's `*.security.test.ts`: the same attacks against every
 * operation, so no route can forget one. Testing credentials is the same everywhere; only which roles
 * may pass differs, so that is all a route declares.
 */
import { describe, expect, it } from "vitest";
import type { Role } from "../src/pkg/auth";
import { generateApiToken, sha256Hex } from "../src/pkg/auth";
import { getDb, schema } from "../src/pkg/db";
import { bearerFor, call, jwtBearerFor, testEnv } from "./helpers";
import { jwtAttacks } from "./jwt-attacks";

export type RouteUnderTest = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path with any ids already filled in. */
  path: string;
  /** Request without credentials. It must not set Authorization: the shared tests do. */
  prepareRequest?: () => Promise<{ headers?: Record<string, string> & { Authorization?: never }; body?: unknown }>;
  /** Roles that may call the route; `anonymous` means it is public. */
  allowed: Role[];
  /** The route issues or shows credentials: every answer must say `Cache-Control: no-store` (RFC 6749 §5.1). */
  credentials?: boolean;
};

async function send(route: RouteUnderTest, authorization?: string): Promise<Response> {
  const prepared = (await route.prepareRequest?.()) ?? {};
  const headers: Record<string, string> = { ...(prepared.headers ?? {}) };
  if (authorization) headers.Authorization = authorization;
  let body: string | undefined;
  if (prepared.body !== undefined) {
    body = JSON.stringify(prepared.body);
    headers["Content-Type"] ??= "application/json";
  }
  return call(route.path, { method: route.method, headers, body });
}

async function expectEnvelope(res: Response, status: number, code: string) {
  expect(res.status, `${res.status} ${await res.clone().text()}`).toBe(status);
  const body = (await res.json()) as { success: boolean; error: { code: string; request_id: string } };
  expect(body.success).toBe(false);
  expect(body.error.code).toBe(code);
  expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
}

async function tokenWith(role: Exclude<Role, "anonymous">, values: { revokedAt?: Date; expiresAt?: Date }) {
  const token = generateApiToken();
  await getDb(testEnv)
    .insert(schema.apiTokens)
    .values({ name: "security test", tokenHash: await sha256Hex(token), prefix: token.slice(0, 10), role, ...values });
  return `Bearer ${token}`;
}

export function runCommonRouteTests(route: RouteUnderTest) {
  const isPublic = route.allowed.includes("anonymous");
  const strongest = route.allowed.includes("admin") || route.allowed.length === 0 ? "admin" : route.allowed.at(-1);
  const label = `${route.method} ${route.path}`;

  describe(`${label}: shared security tests`, () => {
    it(isPublic ? "is public: no credentials is not 401/403" : "without credentials is 401", async () => {
      const res = await send(route);
      if (isPublic) expect([401, 403]).not.toContain(res.status);
      else await expectEnvelope(res, 401, "UNAUTHORIZED");
    });

    it.each([
      ["a malformed Authorization header", "Basic Zm9vOmJhcg=="],
      ["an unknown API token", `Bearer ${"pil_"}${"x".repeat(43)}`],
      ["a garbage bearer credential", "Bearer not-a-token"],
    ])("with %s is 401", async (_, authorization) => {
      await expectEnvelope(await send(route, authorization), 401, "UNAUTHORIZED");
    });

    it.each(jwtAttacks.map((a) => [a.name, a] as const))("with a forged or invalid JWT (%s) is 401", async (_, attack) => {
      const role = strongest === "anonymous" || !strongest ? "admin" : strongest;
      await expectEnvelope(await send(route, `Bearer ${await attack.make(role)}`), 401, "UNAUTHORIZED");
    });

    it("with a revoked token is 401", async () => {
      const auth = await tokenWith(strongest === "anonymous" ? "admin" : (strongest ?? "admin"), { revokedAt: new Date() });
      await expectEnvelope(await send(route, auth), 401, "UNAUTHORIZED");
    });

    it("with an expired token is 401", async () => {
      const auth = await tokenWith(strongest === "anonymous" ? "admin" : (strongest ?? "admin"), {
        expiresAt: new Date(Date.now() - 60_000),
      });
      await expectEnvelope(await send(route, auth), 401, "UNAUTHORIZED");
    });

    const denied = (["user", "service"] as const).filter((r) => !isPublic && !route.allowed.includes(r));
    if (denied.length > 0) {
      it.each(denied)("with the wrong role (%s) is 403", async (role) => {
        await expectEnvelope(await send(route, await bearerFor(role)), 403, "FORBIDDEN");
      });
      it.each(denied)("with a valid JWT of the wrong role (%s) is 403", async (role) => {
        await expectEnvelope(await send(route, await jwtBearerFor(role)), 403, "FORBIDDEN");
      });
    }

    const permitted = (["user", "service", "admin"] as const).filter(
      (r) => isPublic || r === "admin" || route.allowed.includes(r),
    );
    it.each(permitted)("with a valid %s token is neither 401 nor 403", async (role) => {
      const res = await send(route, await bearerFor(role));
      expect([401, 403], await res.clone().text()).not.toContain(res.status);
    });

    it.each(permitted)("with a valid %s JWT is neither 401 nor 403", async (role) => {
      const res = await send(route, await jwtBearerFor(role));
      expect([401, 403], await res.clone().text()).not.toContain(res.status);
    });

    if (route.credentials) {
      it("answers with Cache-Control: no-store, when it succeeds and when it refuses", async () => {
        const ok = await send(route, isPublic ? undefined : await bearerFor(permitted.includes("user") ? "user" : "admin"));
        expect(ok.status, await ok.clone().text()).toBeLessThan(300);
        const refused = await send(route, "Bearer not-a-token");
        expect(refused.status).toBe(401);
        for (const res of [ok, refused]) {
          expect(res.headers.get("cache-control")).toBe("no-store");
          expect(res.headers.get("pragma")).toBe("no-cache");
        }
      });
    }
  });
}
