import { z } from "@hono/zod-openapi";
import { and, eq, isNull, sql } from "drizzle-orm";
import { forgetTokenIdentity } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { ownerOf } from "./schema";

export const RevokeTokenResponseSchema = z
  .object({ success: z.literal(true), data: z.object({ id: z.uuid(), revoked_at: z.iso.datetime() }) })
  .openapi("RevokeTokenResponse");

const route = apiRoute({
  access: "user",
  tags: ["tokens"],
  operationId: "tokens.revoke",
  method: "delete",
  path: "/api/v1/tokens/{id}",
  summary: "Revoke one of your API tokens",
  description: "The token stops working at once. Tokens of other users, unknown ids and already revoked tokens are all 404.",
  request: { params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }) },
  errors: {
    404: "No such token of yours",
  },
  responses: {
    200: { description: "Revoked", content: { "application/json": { schema: RevokeTokenResponseSchema } } },
  },
});

export function registerTokensRevoke(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const { id } = c.req.valid("param");
    const t = schema.apiTokens;
    // Owner and id in one condition: another user's token looks exactly like a missing one.
    const [row] = await getDb(c.env)
      .update(t)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(t.id, id), eq(t.userId, userId), isNull(t.revokedAt)))
      .returning({ id: t.id, revokedAt: t.revokedAt, tokenHash: t.tokenHash });
    if (!row?.revokedAt) throw new ApiError("NOT_FOUND", "No such token.");
    // Effective at once in this data centre; elsewhere within the identity cache's TTL (docs/auth.md).
    await forgetTokenIdentity(row.tokenHash);
    return c.json({ success: true as const, data: { id: row.id, revoked_at: row.revokedAt.toISOString() } }, 200);
  });
}
