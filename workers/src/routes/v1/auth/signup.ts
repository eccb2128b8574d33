import { createRoute } from "@hono/zod-openapi";
import { hashPassword, issueSession } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";
import { ApiError, ErrorEnvelopeSchema, openApiErrorResponses } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { CredentialsSchema, jsonBody, SessionSchema } from "./schema";

const route = createRoute({
  tags: ["auth"],
  operationId: "auth.signup",
  method: "post",
  path: "/api/v1/auth/signup",
  summary: "Create a user account and sign in",
  description: "Creates a `user` account and returns a session (access JWT + refresh token), as login does.",
  request: { body: jsonBody(CredentialsSchema) },
  responses: {
    201: { description: "Account created; signed in", content: { "application/json": { schema: SessionSchema } } },
    409: { description: "An account with this email exists", content: { "application/json": { schema: ErrorEnvelopeSchema } } },
    ...openApiErrorResponses,
  },
});

export function registerAuthSignup(app: App) {
  app.openapi(route, async (c) => {
    const { email, password } = c.req.valid("json");
    const u = schema.users;
    const [user] = await getDb(c.env)
      .insert(u)
      .values({ email, passwordHash: await hashPassword(password), role: "user" })
      .onConflictDoNothing()
      .returning({ id: u.id, email: u.email, role: u.role });
    if (!user) throw new ApiError("CONFLICT", "An account with this email already exists.");
    return c.json({ success: true as const, data: await issueSession(c.env, user) }, 201);
  });
}
