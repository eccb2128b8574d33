import { newRouter } from "../../../pkg/hono/app";
import { registerGeocodePost } from "./post";

/** The geocode resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function geocodeRoutes() {
  const router = newRouter();
  registerGeocodePost(router);
  return router;
}
