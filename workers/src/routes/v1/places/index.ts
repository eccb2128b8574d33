import { conditionalGet } from "../../../pkg/cache";
import { newRouter } from "../../../pkg/hono/app";
import { registerPlacesGet } from "./get";

/** The places resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function placesRoutes() {
  const router = newRouter();
  router.use("/api/v1/places", conditionalGet());
  registerPlacesGet(router);
  return router;
}
