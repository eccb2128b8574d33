import { newRouter } from "../../../pkg/hono/app";
import { registerAuthBrowserRefresh } from "./browser-refresh";
import { registerAuthBrowserSignin } from "./browser-signin";
import { registerAuthBrowserSignout } from "./browser-signout";
import { registerAuthBrowserSignup } from "./browser-signup";
import { registerAuthChangePassword } from "./change-password";
import { registerAuthDeleteAccount } from "./delete-account";
import { registerAuthLogin } from "./login";
import { registerAuthLogout } from "./logout";
import { registerAuthOidcCallback } from "./oidc-callback";
import { registerAuthOidcProviders } from "./oidc-providers";
import { registerAuthOidcStart } from "./oidc-start";
import { registerAuthRefresh } from "./refresh";
import { registerAuthSignup } from "./signup";

/** The auth resource's operations on one router; `routes/index.ts` mounts it with `app.route`. */
export function authRoutes() {
  const router = newRouter();
  registerAuthSignup(router);
  registerAuthLogin(router);
  registerAuthRefresh(router);
  registerAuthLogout(router);
  registerAuthBrowserSignup(router);
  registerAuthBrowserSignin(router);
  registerAuthBrowserRefresh(router);
  registerAuthBrowserSignout(router);
  registerAuthChangePassword(router);
  registerAuthDeleteAccount(router);
  registerAuthOidcProviders(router);
  registerAuthOidcStart(router);
  registerAuthOidcCallback(router);
  return router;
}
