import type { App } from "../pkg/hono/app";
import { registerPropertyPage } from "./site/property-page";
import { registerAdminRoutes } from "./v1/admin";
import { registerAuthRoutes } from "./v1/auth";
import { registerEnrichmentRoutes } from "./v1/enrichment";
import { registerFacetsRoutes } from "./v1/facets";
import { registerGeocodeRoutes } from "./v1/geocode";
import { registerHealthRoutes } from "./v1/health";
import { registerLiveRoutes } from "./v1/live";
import { registerPropertiesRoutes } from "./v1/properties";
import { registerStatsRoutes } from "./v1/stats";
import { registerTilesRoutes } from "./v1/tiles";
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
  registerPropertiesRoutes(app);
  registerStatsRoutes(app);
  registerTilesRoutes(app);
  registerFacetsRoutes(app);
  registerGeocodeRoutes(app);
  registerEnrichmentRoutes(app);
  registerLiveRoutes(app);
  // Not part of the API: the HTML page /property/{id} (static shell + share metadata).
  registerPropertyPage(app);
}
