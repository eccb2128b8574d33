import { endSession } from "../../../pkg/auth";
import { clearBrowserSession, refreshCookie, requireCsrf } from "../../../pkg/auth/browser-session";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { LogoutSchema } from "./logout";
import { CsrfHeaderSchema, NoBody } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.browser.signout",
  method: "post",
  path: "/api/v1/auth/browser/signout",
  summary: "Sign the browser out",
  description:
    "Revokes the session in the refresh cookie (every token of that sign-in) and clears both cookies. Needs the CSRF header " +
    "and a same-origin request (else 403). Without a session cookie it only clears the cookies.",
  request: { headers: CsrfHeaderSchema, body: NoBody },
  errors: { 403: "Cross-origin request, or the CSRF header does not match the CSRF cookie." },
  responses: {
    200: { description: "Signed out", content: { "application/json": { schema: LogoutSchema } } },
  },
});

export function registerAuthBrowserSignout(app: App) {
  app.openapi(route, async (c) => {
    requireCsrf(c);
    const token = refreshCookie(c);
    if (token) await endSession(c.env, token);
    clearBrowserSession(c);
    return c.json({ success: true as const, data: { signed_out: true as const } }, 200);
  });
}
