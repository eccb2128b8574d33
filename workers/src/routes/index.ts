import type { App } from "../pkg/hono/app";
import { registerFacetsRoutes } from "./v1/facets";
import { registerHealthRoutes } from "./v1/health";
import { registerPropertiesRoutes } from "./v1/properties";
import { registerStatsRoutes } from "./v1/stats";

/**
 * Every resource registers its operations here, one line per resource folder. Keep it a plain list:
 * the OpenAPI document is built from exactly these registrations.
 */
export function registerRoutes(app: App) {
  registerHealthRoutes(app);
  registerPropertiesRoutes(app);
  registerStatsRoutes(app);
  registerFacetsRoutes(app);
}
