import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { signUpWithPassword } from "./password-sign-in";
import { CredentialsSchema, jsonBody, SessionSchema } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.signup",
  method: "post",
  path: "/api/v1/auth/signup",
  summary: "Create a user account and sign in",
  description: "Creates a `user` account and returns a session (access JWT + refresh token), as login does.",
  request: { body: jsonBody(CredentialsSchema) },
  errors: {
    409: "An account with this email exists",
  },
  responses: {
    201: { description: "Account created; signed in", content: { "application/json": { schema: SessionSchema } } },
  },
});

export function registerAuthSignup(app: App) {
  app.openapi(route, async (c) => {
    const { email, password } = c.req.valid("json");
    return c.json({ success: true as const, data: await signUpWithPassword(c, email, password) }, 201);
  });
}
