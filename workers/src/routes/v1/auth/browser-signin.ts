import { endSession } from "../../../pkg/auth";
import { refreshCookie, requireSameOrigin, setBrowserSession } from "../../../pkg/auth/browser-session";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { signInWithPassword } from "./password-sign-in";
import { BrowserSessionSchema, CredentialsSchema, jsonBody } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.browser.signin",
  method: "post",
  path: "/api/v1/auth/browser/signin",
  summary: "Sign in from a browser (refresh token in an HttpOnly cookie)",
  description:
    "As `POST /api/v1/auth/login`, with the same limits, but the refresh token is set as an `HttpOnly; Secure; SameSite=Strict` " +
    "cookie for `/api/v1/auth/browser` and a readable CSRF cookie is set for the site. A session cookie the browser already " +
    "had is ended first (no session fixation). Requests from another origin are refused (403).",
  request: { body: jsonBody(CredentialsSchema) },
  errors: { 403: "The request came from another origin." },
  responses: {
    200: { description: "Signed in", content: { "application/json": { schema: BrowserSessionSchema } } },
  },
});

export function registerAuthBrowserSignin(app: App) {
  app.openapi(route, async (c) => {
    requireSameOrigin(c);
    const { email, password } = c.req.valid("json");
    const session = await signInWithPassword(c, email, password);
    const previous = refreshCookie(c);
    if (previous) await endSession(c.env, previous);
    return c.json({ success: true as const, data: setBrowserSession(c, session) }, 200);
  });
}
