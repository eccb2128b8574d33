import { conditionalGet } from "../../../pkg/cache";
import { newRouter } from "../../../pkg/hono/app";
import { registerTilesGet } from "./get";

/** The tiles resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function tilesRoutes() {
  const router = newRouter();
  // ETag / 304 like the search answers.
  router.use("/api/v1/tiles/*", conditionalGet());
  registerTilesGet(router);
  return router;
}
