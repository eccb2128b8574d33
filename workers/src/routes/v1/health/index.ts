import { newRouter } from "../../../pkg/hono/app";
import { registerHealthGet } from "./get";

/** The health resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function healthRoutes() {
  const router = newRouter();
  registerHealthGet(router);
  return router;
}
