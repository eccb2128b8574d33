import type { App } from "../../../pkg/hono/app";
import { registerAuthLogin } from "./login";
import { registerAuthLogout } from "./logout";
import { registerAuthRefresh } from "./refresh";
import { registerAuthSignup } from "./signup";

export function registerAuthRoutes(app: App) {
  registerAuthSignup(app);
  registerAuthLogin(app);
  registerAuthRefresh(app);
  registerAuthLogout(app);
}
