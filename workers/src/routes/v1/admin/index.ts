import type { App } from "../../../pkg/hono/app";
import { registerAdminCreateServiceToken } from "./create-service-token";

export function registerAdminRoutes(app: App) {
  registerAdminCreateServiceToken(app);
}
