import { newApp } from "./pkg/hono/app";
import { registerRoutes } from "./routes";

/** Builds the Mill: shared middleware, every route, and the OpenAPI document generated from them. */
export function createApp() {
  const app = newApp();
  registerRoutes(app);
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API token (`pil_…`) or a session JWT. Public reads need none.",
  });
  app.doc31("/api/v1/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Pillow Mill API",
      version: c.env.APP_VERSION ?? "dev",
      description:
        "Search, read and ingest property listings. Every error uses one envelope: `{success:false, error:{code, message, request_id, details?}}`.",
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  return app;
}

export const app = createApp();
