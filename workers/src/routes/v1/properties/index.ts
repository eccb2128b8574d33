import { conditionalGet } from "../../../pkg/cache";
import type { App } from "../../../pkg/hono/app";
import { registerPropertiesBatch } from "./batch";
import { registerPropertiesCreate } from "./create";
import { registerPropertiesDelete } from "./delete";
import { registerPropertiesGet } from "./get";
import { registerPropertiesSearch } from "./search";

export function registerPropertiesRoutes(app: App) {
  // ETag / 304 for the reads; registered before them so it wraps their responses.
  app.use("/api/v1/properties", conditionalGet());
  app.use("/api/v1/properties/:id", conditionalGet());
  registerPropertiesSearch(app);
  registerPropertiesGet(app);
  // Ingest: create, batch, delete (withdraw).
  registerPropertiesBatch(app);
  registerPropertiesCreate(app);
  registerPropertiesDelete(app);
}
