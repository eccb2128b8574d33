import type { App } from "../../../pkg/hono/app";
import { registerTokensCreate } from "./create";
import { registerTokensList } from "./list";
import { registerTokensRevoke } from "./revoke";

export function registerTokenRoutes(app: App) {
  registerTokensCreate(app);
  registerTokensList(app);
  registerTokensRevoke(app);
}
