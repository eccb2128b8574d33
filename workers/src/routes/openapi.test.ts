/**
 * The OpenAPI document is generated from the same zod schemas that validate requests and responses.
 * This checks that every registered route is in it, and that real responses (success and error)
 * validate against the schemas their routes declare.
 */

import { beforeAll, describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { call, unique } from "../../test/helpers";
import { insertProperties } from "../../test/property-rows";
import { app } from "../app";

type RouteDefinition = {
  type: string;
  route: { method: string; path: string; responses: Record<string, { content?: Record<string, { schema: ZodType }> }> };
};

const definitions = () =>
  (app.openAPIRegistry.definitions as RouteDefinition[]).filter((d) => d.type === "route").map((d) => d.route);

describe("OpenAPI document", () => {
  let doc: { openapi: string; paths: Record<string, Record<string, unknown>>; components: { securitySchemes?: unknown } };
  beforeAll(async () => {
    const res = await call("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    doc = (await res.json()) as typeof doc;
  });

  it("is OpenAPI 3.1 with the two bearer schemes", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes).toMatchObject({
      apiToken: { type: "http", scheme: "bearer" },
      sessionJwt: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
    });
  });

  it("lists every route the app serves under /api/v1", () => {
    const served = app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/v1/") && r.path !== "/api/v1/openapi.json")
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThan(4);
    // A documented last segment with a file extension (`{y}.mvt`) is served as the parameter alone, which the
    // route's schema parses (the router has no syntax for a parameter followed by a suffix).
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path.replace(/\}\.[a-z]+$/, "}")}`),
    );
    for (const route of new Set(served)) expect(documented, route).toContain(route);
  });

  describe("real responses validate against the declared schemas", () => {
    let id = "";
    beforeAll(async () => {
      const city = unique("Openapi");
      [id] = (await insertProperties([{ city, lat: 1, lng: 1, features: ["garage"] }])) as [string];
    });

    // method + documented path → a real request and the status it must answer with.
    const samples: Array<[string, () => string, number]> = [
      ["get /api/v1/health", () => "/api/v1/health", 200],
      ["get /api/v1/properties", () => "/api/v1/properties?limit=3&count=true&near=1,1&radius_km=5", 200],
      ["get /api/v1/properties", () => "/api/v1/properties?limit=0", 400],
      ["get /api/v1/properties/{id}", () => `/api/v1/properties/${id}`, 200],
      ["get /api/v1/properties/{id}", () => "/api/v1/properties/nope", 404],
      ["get /api/v1/stats", () => "/api/v1/stats?group_by=city&country=US", 200],
      ["get /api/v1/stats", () => "/api/v1/stats?group_by=decade", 400],
      ["get /api/v1/facets", () => "/api/v1/facets?fields=property_type,city,features", 200],
      ["get /api/v1/facets", () => "/api/v1/facets?fields=nope", 400],
    ];

    it.each(samples)("%s (%s)", async (key, url, status) => {
      const route = definitions().find((r) => `${r.method} ${r.path}` === key);
      expect(route, key).toBeDefined();
      const res = await call(url());
      expect(res.status, await res.clone().text()).toBe(status);
      const schema = route?.responses[String(status)]?.content?.["application/json"]?.schema;
      expect(schema, `${key} declares no ${status} schema`).toBeDefined();
      const parsed = schema?.safeParse(await res.json());
      expect(parsed?.success, JSON.stringify(parsed?.error?.issues)).toBe(true);
    });
  });
});
