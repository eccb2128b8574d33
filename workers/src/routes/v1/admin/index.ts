import type { App } from "../../../pkg/hono/app";
import { registerAdminCreateServiceToken } from "./create-service-token";
import { registerAdminListServiceTokens } from "./list-service-tokens";
import { registerAdminUpdateServiceToken } from "./update-service-token";

export function registerAdminRoutes(app: App) {
  registerAdminCreateServiceToken(app);
  registerAdminListServiceTokens(app);
  registerAdminUpdateServiceToken(app);
}
