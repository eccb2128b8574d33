import { newRouter } from "../../../pkg/hono/app";
import { registerSavedSearchesCreate } from "./create";
import { registerSavedSearchesDelete } from "./delete";
import { registerSavedSearchesDeliveries } from "./deliveries";
import { registerSavedSearchesEvents } from "./events";
import { registerSavedSearchesGet } from "./get";
import { registerSavedSearchesList } from "./list";
import { registerSavedSearchesRetryDelivery } from "./retry-delivery";
import { registerSavedSearchesRotateSecret } from "./rotate-secret";
import { registerSavedSearchesSeen } from "./seen";
import { registerSavedSearchesUpdate } from "./update";

/** The saved-searches resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function savedSearchRoutes() {
  const router = newRouter();
  registerSavedSearchesCreate(router);
  registerSavedSearchesList(router);
  registerSavedSearchesGet(router);
  registerSavedSearchesUpdate(router);
  registerSavedSearchesDelete(router);
  registerSavedSearchesRotateSecret(router);
  registerSavedSearchesEvents(router);
  registerSavedSearchesSeen(router);
  registerSavedSearchesDeliveries(router);
  registerSavedSearchesRetryDelivery(router);
  return router;
}
