import { z } from "@hono/zod-openapi";
import { and, desc, eq, isNull } from "drizzle-orm";
import { getDb, schema } from "../../../pkg/db";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { TokenSchema, tokenView, tokenViewColumns } from "../tokens/schema";

export const ListServiceTokensResponseSchema = z
  .object({ success: z.literal(true), data: z.array(TokenSchema) })
  .openapi("ListServiceTokensResponse");

/** Service tokens are few (one or two per connector); a bound keeps the list one small query. */
const MAX_TOKENS = 500;

const route = apiRoute({
  access: "admin",
  tags: ["admin"],
  operationId: "admin.serviceTokens.list",
  method: "get",
  path: "/api/v1/admin/service-tokens",
  summary: "List service tokens and their sources (admin)",
  description:
    "Every service token that is not revoked, newest first, with the source names it may ingest under. Tokens are shown by prefix only.",
  request: {
    query: z
      .object({ service: z.string().min(1).max(63).optional().openapi({ description: "Only this connector's tokens" }) })
      .strict(),
  },
  responses: {
    200: { description: "Service tokens", content: { "application/json": { schema: ListServiceTokensResponseSchema } } },
  },
});

export function registerAdminListServiceTokens(app: App) {
  app.openapi(route, async (c) => {
    const { service } = c.req.valid("query");
    const t = schema.apiTokens;
    const rows = await getDb(c.env)
      .select(tokenViewColumns)
      .from(t)
      .where(and(eq(t.role, "service"), isNull(t.revokedAt), service === undefined ? undefined : eq(t.service, service)))
      .orderBy(desc(t.createdAt))
      .limit(MAX_TOKENS);
    return c.json({ success: true as const, data: rows.map(tokenView) }, 200);
  });
}
