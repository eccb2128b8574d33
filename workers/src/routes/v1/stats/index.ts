import { conditionalGet } from "../../../pkg/cache";
import { newRouter } from "../../../pkg/hono/app";
import { registerStatsGet } from "./get";

/** The stats resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function statsRoutes() {
  const router = newRouter();
  router.use("/api/v1/stats", conditionalGet());
  registerStatsGet(router);
  return router;
}
