import { newApp } from "./pkg/hono/app";
import { SECURITY_SCHEMES } from "./pkg/openapi/route";
import { registerRoutes } from "./routes";

/**
 * The document's top level. Operations bring their own `security` (from their access level, see
 * `pkg/openapi/route.ts`); the root states none, so a route declared without one fails `npm run lint`
 * (redocly's `security-defined`) instead of silently inheriting a default.
 */
export function openApiConfig(origin: string, version: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Pillow Mill API",
      version,
      description:
        "Search, read and ingest property listings. Every error uses one envelope: `{success:false, error:{code, message, request_id, details?}}`. " +
        "Operations name the roles they accept in `security` (public ones also accept no credentials); see the authentication docs.",
      license: { name: "Proprietary: data licences are listed per dataset in the docs", url: `${origin}/docs/` },
      contact: { name: "Pillow operators", url: `${origin}/docs/` },
    },
    servers: [{ url: origin, description: "This deployment" }],
  };
}

/** Builds the Mill: shared middleware, every route, and the OpenAPI document generated from them. */
export function createApp() {
  const app = newApp();
  registerRoutes(app);
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES))
    app.openAPIRegistry.registerComponent("securitySchemes", name, scheme);
  app.doc31("/api/v1/openapi.json", (c) => openApiConfig(new URL(c.req.url).origin, c.env.APP_VERSION ?? "dev"));
  return app;
}

export const app = createApp();
