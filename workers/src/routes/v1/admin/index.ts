import { newRouter } from "../../../pkg/hono/app";
import { registerAdminCreateServiceToken } from "./create-service-token";
import { registerAdminListServiceTokens } from "./list-service-tokens";
import { registerAdminRevokeServiceToken } from "./revoke-service-token";
import { registerAdminUpdateServiceToken } from "./update-service-token";

/** The admin resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function adminRoutes() {
  const router = newRouter();
  registerAdminCreateServiceToken(router);
  registerAdminListServiceTokens(router);
  registerAdminUpdateServiceToken(router);
  registerAdminRevokeServiceToken(router);
  return router;
}
