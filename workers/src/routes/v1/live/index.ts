import { newRouter } from "../../../pkg/hono/app";
import { registerLiveGet } from "./get";
import { registerLiveSavedSearches } from "./saved-searches";

/** The live resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function liveRoutes() {
  const router = newRouter();
  registerLiveGet(router);
  registerLiveSavedSearches(router);
  return router;
}
