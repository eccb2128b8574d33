import type { App } from "../pkg/hono/app";
import { registerAdminRoutes } from "./v1/admin";
import { registerAuthRoutes } from "./v1/auth";
import { registerHealthRoutes } from "./v1/health";
import { registerTokenRoutes } from "./v1/tokens";

/**
 * Every resource registers its operations here, one line per resource folder. Keep it a plain list:
 * the OpenAPI document is built from exactly these registrations.
 */
export function registerRoutes(app: App) {
  registerHealthRoutes(app);
  registerAuthRoutes(app);
  registerTokenRoutes(app);
  registerAdminRoutes(app);
}
