/**
 * The OpenAPI document's security tells the truth: for every operation it lists, a request without
 * credentials is refused (401) exactly when the document says credentials are needed, each role the
 * document names gets past the guard, and every other signed-in role gets 403. Every status seen is one
 * the operation documents. The document and the guards both come from `apiRoute()`'s access level
 * (`pkg/openapi/route.ts`); this checks the running app, not that function.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bearerFor, call, jwtBearerFor } from "../../test/helpers";

type Operation = { operationId: string; security?: Array<Record<string, string[]>>; responses: Record<string, unknown> };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };

const SIGNED_IN = ["user", "service", "admin"] as const;

/** The document, fetched once at collection time so every operation becomes its own test. */
const doc = (await (await call("/api/v1/openapi.json")).json()) as Doc;
const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);

/** A request for the operation: ids are random (so nothing is found or changed), bodies empty (so nothing validates). */
async function send(method: string, path: string, authorization?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (authorization) headers.Authorization = authorization;
  let body: string | undefined;
  if (method !== "GET" && method !== "DELETE") {
    headers["Content-Type"] = "application/json";
    body = "{}";
  }
  const res = await call(path.replace(/\{[^}]+\}/g, crypto.randomUUID()), { method, headers, body });
  // The live stream never ends by itself: only its status and headers matter here.
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) await res.body?.cancel();
  return res;
}

/** The roles an operation's `security` admits; `anonymous` when it accepts no credentials (`{}`). */
function documentedRoles(op: Operation): string[] {
  const security = op.security ?? [];
  if (security.some((req) => Object.keys(req).length === 0)) return ["anonymous"];
  return [...new Set(security.flatMap((req) => Object.values(req).flat()))];
}

describe("OpenAPI security matches what the routes enforce", () => {
  it("declares both bearer schemes, and every operation has a security requirement naming only them", () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["apiToken", "sessionJwt"]);
    expect(operations.length).toBeGreaterThan(15);
    for (const { method, path, op } of operations) {
      expect(op.security, `${method} ${path}`).toBeDefined();
      for (const req of op.security ?? [])
        for (const scheme of Object.keys(req)) expect(["apiToken", "sessionJwt"]).toContain(scheme);
      const roles = documentedRoles(op);
      expect(roles.length, `${method} ${path} names no role`).toBeGreaterThan(0);
    }
  });

  it("documents 401, 429 and 503 on every operation (any request can meet them)", () => {
    for (const { method, path, op } of operations)
      for (const status of ["401", "429", "503"]) expect(Object.keys(op.responses), `${method} ${path}`).toContain(status);
  });

  describe.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))("%s", (_, { method, path, op }) => {
    const roles = documentedRoles(op);
    const isPublic = roles.includes("anonymous");

    it(
      isPublic ? "documented public: no credentials passes the guard" : "documented as needing credentials: none is 401",
      async () => {
        const res = await send(method, path);
        expect(Object.keys(op.responses), `undocumented ${res.status}`).toContain(String(res.status));
        if (isPublic) expect([401, 403]).not.toContain(res.status);
        else expect(res.status, await res.text()).toBe(401);
      },
    );

    it.each(SIGNED_IN.map((r) => [r] as const))("a %s API token and JWT get what the document says", async (role) => {
      const admitted = isPublic || roles.includes(role);
      for (const authorization of [await bearerFor(role), await jwtBearerFor(role)]) {
        const res = await send(method, path, authorization);
        expect(Object.keys(op.responses), `undocumented ${res.status}`).toContain(String(res.status));
        if (admitted) expect([401, 403], await res.clone().text()).not.toContain(res.status);
        else expect(res.status, await res.clone().text()).toBe(403);
      }
    });
  });
});

describe("OpenAPI document metadata", () => {
  let info: { license?: { name?: string; url?: string }; contact?: unknown };
  beforeAll(async () => {
    info = ((await (await call("/api/v1/openapi.json")).json()) as { info: typeof info }).info;
  });
  it("has a licence with a URL and a contact", () => {
    expect(info.license?.name).toBeTruthy();
    expect(info.license?.url).toMatch(/^https?:\/\//);
    expect(info.contact).toBeTruthy();
  });
});
