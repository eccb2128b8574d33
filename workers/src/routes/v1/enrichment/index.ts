import { newRouter } from "../../../pkg/hono/app";
import { registerEnrichmentGet } from "./get";

/** The enrichment resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function enrichmentRoutes() {
  const router = newRouter();
  registerEnrichmentGet(router);
  return router;
}
