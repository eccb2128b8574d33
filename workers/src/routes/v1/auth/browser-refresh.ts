import { rotateSession } from "../../../pkg/auth";
import { clearBrowserSession, refreshCookie, requireCsrf, setBrowserSession } from "../../../pkg/auth/browser-session";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { log } from "../../../pkg/log";
import { apiRoute } from "../../../pkg/openapi/route";
import { BrowserSessionSchema, CsrfHeaderSchema, NoBody } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.browser.refresh",
  method: "post",
  path: "/api/v1/auth/browser/refresh",
  summary: "Get a new access token for the browser's session",
  description:
    "Reads the refresh cookie, rotates it (single use, reuse detection as `POST /api/v1/auth/refresh`) and answers with a new " +
    "access token. Needs the CSRF cookie echoed in `X-CSRF-Token` and a same-origin request (else 403); no or a spent cookie is 401.",
  request: { headers: CsrfHeaderSchema, body: NoBody },
  errors: { 403: "Cross-origin request, or the CSRF header does not match the CSRF cookie." },
  responses: {
    200: {
      description: "A new access token; the cookies are rotated",
      content: { "application/json": { schema: BrowserSessionSchema } },
    },
  },
});

export function registerAuthBrowserRefresh(app: App) {
  app.openapi(route, async (c) => {
    requireCsrf(c);
    const token = refreshCookie(c);
    if (!token) throw new ApiError("UNAUTHORIZED", "Not signed in.");
    const result = await rotateSession(c.env, token).catch((err: unknown) => {
      clearBrowserSession(c);
      throw err;
    });
    if (result.reuse) {
      log(c, "warn", { msg: "browser refresh cookie reused; its sign-in was revoked" });
      clearBrowserSession(c);
      throw new ApiError("UNAUTHORIZED", "Invalid or expired refresh token.");
    }
    return c.json({ success: true as const, data: setBrowserSession(c, result.session) }, 200);
  });
}
