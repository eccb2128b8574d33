import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { forgetTokenIdentity } from "../../../pkg/auth";
import { getDb } from "../../../pkg/db";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { confirmDeletion } from "./account-checks";
import { jsonBody } from "./schema";

export const DeleteAccountRequestSchema = z
  .object({
    password: z.string().min(1).max(1024).optional().openapi({ description: "The account's password, when it has one" }),
    confirm_email: z.string().min(1).max(254).optional().openapi({
      description: "For an account without a password (`has_password: false`): its email address, typed exactly",
      example: "ada@example.com",
    }),
  })
  .strict()
  .openapi("DeleteAccountRequest");

export const DeleteAccountResponseSchema = z
  .object({ success: z.literal(true), data: z.object({ deleted: z.literal(true) }) })
  .openapi("DeleteAccountResponse");

const route = apiRoute({
  access: "user",
  tags: ["auth"],
  operationId: "auth.account.delete",
  method: "post",
  path: "/api/v1/auth/account/delete",
  summary: "Delete your account",
  description:
    "An account with a password confirms with it (`password`); one without (made through an OpenID Connect provider) " +
    "confirms by typing its email address exactly (`confirm_email`), from a signed-in session's access token, not an API key " +
    "(403). A wrong or unfitting confirmation is 422 and counts against the sign-in limits. Deletes the account with " +
    "everything it owns: its API tokens and " +
    "sessions (foreign keys `ON DELETE CASCADE`, db/schema.ts), which stop working at once. Listings are not owned by accounts.",
  request: { body: jsonBody(DeleteAccountRequestSchema) },
  errors: {
    403: "The credentials belong to no user account (a service token), or an API key tries to delete an account without a password.",
    422: "The password or the typed email address is wrong, or the confirmation does not fit the account (see above).",
  },
  responses: {
    200: { description: "Deleted", content: { "application/json": { schema: DeleteAccountResponseSchema } } },
  },
});

export function registerAuthDeleteAccount(app: App) {
  app.openapi(route, async (c) => {
    const user = await confirmDeletion(c, c.req.valid("json"));
    // One statement deletes the account (its tokens and sessions follow by cascade) and names the tokens it
    // had: the outer SELECT sees the rows as they were before the statement (PostgreSQL docs, "Data-Modifying
    // Statements in WITH"). Their identities cached at the edge are then forgotten, so they stop at once.
    const gone = await getDb(c.env).execute<{ token_hash: string }>(sql`
      WITH deleted AS (DELETE FROM users WHERE id = ${user.id} RETURNING id)
      SELECT token_hash FROM api_tokens WHERE user_id IN (SELECT id FROM deleted)`);
    await Promise.all(gone.rows.map((row) => forgetTokenIdentity(row.token_hash)));
    return c.json({ success: true as const, data: { deleted: true as const } }, 200);
  });
}
