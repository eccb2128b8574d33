import type { App } from "../pkg/hono/app";
import { sitePageRoutes } from "./site/property-page";
import { adminRoutes } from "./v1/admin";
import { authRoutes } from "./v1/auth";
import { enrichmentRoutes } from "./v1/enrichment";
import { facetsRoutes } from "./v1/facets";
import { geocodeRoutes } from "./v1/geocode";
import { healthRoutes } from "./v1/health";
import { liveRoutes } from "./v1/live";
import { placesRoutes } from "./v1/places";
import { propertiesRoutes } from "./v1/properties";
import { savedSearchRoutes } from "./v1/saved-searches";
import { statsRoutes } from "./v1/stats";
import { tilesRoutes } from "./v1/tiles";
import { tokenRoutes } from "./v1/tokens";

/**
 * Every resource is a router of its own (its folder's `index.ts`), mounted here with `app.route`, one
 * line per resource folder, as Hono recommends for larger apps. Keep it a plain list: the OpenAPI
 * document is built from exactly these routers (`OpenAPIHono.route` merges their definitions).
 */
export function registerRoutes(app: App) {
  app.route("/", healthRoutes());
  app.route("/", authRoutes());
  app.route("/", tokenRoutes());
  app.route("/", adminRoutes());
  app.route("/", propertiesRoutes());
  app.route("/", statsRoutes());
  app.route("/", tilesRoutes());
  app.route("/", facetsRoutes());
  app.route("/", geocodeRoutes());
  app.route("/", placesRoutes());
  app.route("/", enrichmentRoutes());
  app.route("/", liveRoutes());
  app.route("/", savedSearchRoutes());
  // Not part of the API: the HTML page /property/{id} (static shell + share metadata).
  app.route("/", sitePageRoutes());
}
