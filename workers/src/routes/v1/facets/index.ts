import { conditionalGet } from "../../../pkg/cache";
import { newRouter } from "../../../pkg/hono/app";
import { registerFacetsGet } from "./get";

/** The facets resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function facetsRoutes() {
  const router = newRouter();
  router.use("/api/v1/facets", conditionalGet());
  registerFacetsGet(router);
  return router;
}
