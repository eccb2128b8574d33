import type { App } from "../pkg/hono/app";
import { registerHealthRoutes } from "./v1/health";

/**
 * Every resource registers its operations here, one line per resource folder. Keep it a plain list:
 * the OpenAPI document is built from exactly these registrations.
 */
export function registerRoutes(app: App) {
  registerHealthRoutes(app);
}
