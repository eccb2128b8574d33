import { newRouter } from "../../../pkg/hono/app";
import { registerTokensCreate } from "./create";
import { registerTokensList } from "./list";
import { registerTokensRevoke } from "./revoke";

/** The tokens resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function tokenRoutes() {
  const router = newRouter();
  registerTokensCreate(router);
  registerTokensList(router);
  registerTokensRevoke(router);
  return router;
}
