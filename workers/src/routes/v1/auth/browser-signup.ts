import { endSession } from "../../../pkg/auth";
import { refreshCookie, requireSameOrigin, setBrowserSession } from "../../../pkg/auth/browser-session";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { signUpWithPassword } from "./password-sign-in";
import { BrowserSessionSchema, CredentialsSchema, jsonBody } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.browser.signup",
  method: "post",
  path: "/api/v1/auth/browser/signup",
  summary: "Create an account from a browser and sign in",
  description:
    "As `POST /api/v1/auth/signup`, with the session kept as `POST /api/v1/auth/browser/signin` keeps it. " +
    "Requests from another origin are refused (403).",
  request: { body: jsonBody(CredentialsSchema) },
  errors: { 403: "The request came from another origin.", 409: "An account with this email exists" },
  responses: {
    201: { description: "Account created; signed in", content: { "application/json": { schema: BrowserSessionSchema } } },
  },
});

export function registerAuthBrowserSignup(app: App) {
  app.openapi(route, async (c) => {
    requireSameOrigin(c);
    const { email, password } = c.req.valid("json");
    const session = await signUpWithPassword(c, email, password);
    const previous = refreshCookie(c);
    if (previous) await endSession(c.env, previous);
    return c.json({ success: true as const, data: setBrowserSession(c, session) }, 201);
  });
}
