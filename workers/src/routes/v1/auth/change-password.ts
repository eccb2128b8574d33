import { z } from "@hono/zod-openapi";
import { and, eq, isNull, sql } from "drizzle-orm";
import { hashPassword } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { confirmPasswordChange } from "./account-checks";
import { jsonBody, PasswordSchema } from "./schema";

export const ChangePasswordRequestSchema = z
  .object({
    current_password: z.string().min(1).max(1024).optional().openapi({
      description: "The account's current password. Left out by an account that has none yet (`has_password: false`) to set one",
    }),
    new_password: PasswordSchema,
  })
  .strict()
  .openapi("ChangePasswordRequest");

export const ChangePasswordResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      changed: z.literal(true),
      first_password: z
        .boolean()
        .openapi({ description: "True when the account had no password before (it was set, not changed)" }),
      sessions_ended: z.number().int(),
    }),
  })
  .openapi("ChangePasswordResponse");

const route = apiRoute({
  access: "user",
  tags: ["auth"],
  operationId: "auth.password.change",
  method: "post",
  path: "/api/v1/auth/password",
  summary: "Change or set your password",
  description:
    "Needs the current password (a wrong or missing one is 422; every attempt counts against the sign-in limits). An account " +
    "without a password (made through an OpenID Connect provider, `has_password: false` in its session) sets its first one " +
    "by leaving `current_password` out; that needs a signed-in session's access token, not an API key (403). Every sign-in " +
    "of the account ends (its refresh tokens are revoked), so sign in again with the new password; API tokens keep working.",
  request: { body: jsonBody(ChangePasswordRequestSchema) },
  errors: {
    403: "The credentials belong to no user account (a service token), or an API key tries to set an account's first password.",
    409: "The password was changed by another request meanwhile.",
    422: "The current password is wrong, or missing for an account that has one, or given for an account that has none.",
  },
  responses: {
    200: { description: "Changed", content: { "application/json": { schema: ChangePasswordResponseSchema } } },
  },
});

export function registerAuthChangePassword(app: App) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const user = await confirmPasswordChange(c, body.current_password);
    const db = getDb(c.env);
    const u = schema.users;
    // Only over the password just confirmed: two requests setting a first password at once cannot both win.
    const [changed] = await db
      .update(u)
      .set({ passwordHash: await hashPassword(body.new_password), updatedAt: sql`now()` })
      .where(and(eq(u.id, user.id), eq(u.passwordHash, user.hash)))
      .returning({ id: u.id });
    if (!changed) throw new ApiError("CONFLICT", "The password was changed meanwhile; reload and try again.");
    const t = schema.refreshTokens;
    const ended = await db
      .update(t)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(t.userId, user.id), isNull(t.revokedAt)))
      .returning({ id: t.id });
    return c.json(
      {
        success: true as const,
        data: { changed: true as const, first_password: !user.hadPassword, sessions_ended: ended.length },
      },
      200,
    );
  });
}
