import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { LOGIN_FAILED_MESSAGE, signInWithPassword } from "./password-sign-in";
import { CredentialsSchema, jsonBody, SessionSchema } from "./schema";

export { LOGIN_FAILED_MESSAGE };

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.login",
  method: "post",
  path: "/api/v1/auth/login",
  summary: "Sign in with email and password",
  description:
    "Returns a short-lived access JWT and a refresh token. Unknown email and wrong password give the same 401. " +
    "After too many failed attempts for the account (or attempts from the IP) within the window, attempts get 429 with Retry-After.",
  request: { body: jsonBody(CredentialsSchema) },
  responses: {
    200: { description: "Signed in", content: { "application/json": { schema: SessionSchema } } },
  },
});

export function registerAuthLogin(app: App) {
  app.openapi(route, async (c) => {
    const { email, password } = c.req.valid("json");
    return c.json({ success: true as const, data: await signInWithPassword(c, email, password) }, 200);
  });
}
