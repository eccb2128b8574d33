import { conditionalGet } from "../../../pkg/cache";
import { newRouter } from "../../../pkg/hono/app";
import { registerPropertiesBatch } from "./batch";
import { registerPropertiesCreate } from "./create";
import { registerPropertiesDelete } from "./delete";
import { registerPropertiesGet } from "./get";
import { registerPropertiesSearch } from "./search";

/** The properties resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function propertiesRoutes() {
  const router = newRouter();
  // ETag / 304 for the reads; registered before them so it wraps their responses.
  router.use("/api/v1/properties", conditionalGet());
  router.use("/api/v1/properties/:id", conditionalGet());
  registerPropertiesSearch(router);
  registerPropertiesGet(router);
  // Ingest: create, batch, delete (withdraw).
  registerPropertiesBatch(router);
  registerPropertiesCreate(router);
  registerPropertiesDelete(router);
  return router;
}
