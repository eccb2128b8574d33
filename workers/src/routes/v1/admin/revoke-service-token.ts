import { z } from "@hono/zod-openapi";
import { and, eq, isNull, sql } from "drizzle-orm";
import { forgetTokenIdentity } from "../../../pkg/auth";
import { getDb, schema } from "../../../pkg/db";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { RevokeTokenResponseSchema } from "../tokens/revoke";

const route = apiRoute({
  access: "admin",
  tags: ["admin"],
  operationId: "admin.serviceTokens.revoke",
  method: "delete",
  path: "/api/v1/admin/service-tokens/{id}",
  summary: "Revoke a service token (admin)",
  description: "The token stops working at once. Unknown, already revoked and non-service tokens are 404.",
  request: {
    params: z.object({
      id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: "0b6f3f5e-8d0c-4c1e-9d55-3f7a3c2b1a00" }),
    }),
  },
  errors: { 404: "No service token with this id (or it was revoked)." },
  responses: {
    200: { description: "Revoked", content: { "application/json": { schema: RevokeTokenResponseSchema } } },
  },
});

export function registerAdminRevokeServiceToken(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const t = schema.apiTokens;
    const [row] = await getDb(c.env)
      .update(t)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(t.id, id), eq(t.role, "service"), isNull(t.revokedAt)))
      .returning({ id: t.id, revokedAt: t.revokedAt, tokenHash: t.tokenHash });
    if (!row?.revokedAt) throw new ApiError("NOT_FOUND", "No such service token.");
    // Its identity may be cached at the edge (pkg/auth/identity-cache.ts): forget it, so it stops at once here.
    await forgetTokenIdentity(row.tokenHash);
    return c.json({ success: true as const, data: { id: row.id, revoked_at: row.revokedAt.toISOString() } }, 200);
  });
}
