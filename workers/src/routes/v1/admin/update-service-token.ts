import { z } from "@hono/zod-openapi";
import { and, eq, isNull } from "drizzle-orm";
import { forgetTokenIdentity, SourceGrantSchema } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { TokenSchema, tokenView, tokenViewColumns } from "../tokens/schema";

export const UpdateServiceTokenRequestSchema = z
  .object({ sources: SourceGrantSchema })
  .strict()
  .openapi("UpdateServiceTokenRequest");

export const UpdateServiceTokenResponseSchema = z
  .object({ success: z.literal(true), data: TokenSchema })
  .openapi("UpdateServiceTokenResponse");

const route = apiRoute({
  access: "admin",
  tags: ["admin"],
  operationId: "admin.serviceTokens.update",
  method: "patch",
  path: "/api/v1/admin/service-tokens/{id}",
  summary: "Change the sources a service token may ingest under (admin)",
  description:
    "Replaces the token's source names; the next request with the token uses them (in other data centres within the token identity cache's TTL, 60 s by default). Unknown, revoked and non-service tokens are 404.",
  request: {
    params: z.object({
      id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: "0b6f3f5e-8d0c-4c1e-9d55-3f7a3c2b1a00" }),
    }),
    body: { required: true, content: { "application/json": { schema: UpdateServiceTokenRequestSchema } } },
  },
  errors: { 404: "No service token with this id (or it was revoked)." },
  responses: {
    200: {
      description: "The token with its new sources",
      content: { "application/json": { schema: UpdateServiceTokenResponseSchema } },
    },
  },
});

export function registerAdminUpdateServiceToken(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { sources } = c.req.valid("json");
    const t = schema.apiTokens;
    const [row] = await getDb(c.env)
      .update(t)
      .set({ sources })
      .where(and(eq(t.id, id), eq(t.role, "service"), isNull(t.revokedAt)))
      .returning({ ...tokenViewColumns, tokenHash: t.tokenHash });
    if (!row) throw new ApiError("NOT_FOUND", `No service token with id ${id}.`);
    // The new sources apply at once in this data centre; elsewhere within the identity cache's TTL (docs/auth.md).
    await forgetTokenIdentity(row.tokenHash);
    return c.json({ success: true as const, data: tokenView(row) }, 200);
  });
}
