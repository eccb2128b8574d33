import { z } from "@hono/zod-openapi";
import { and, desc, eq, isNull } from "drizzle-orm";
import { getDb, schema } from "../../../pkg/db";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { ownerOf, TokenSchema, tokenView, tokenViewColumns } from "./schema";

export const ListTokensResponseSchema = z
  .object({ success: z.literal(true), data: z.array(TokenSchema) })
  .openapi("ListTokensResponse");

const route = apiRoute({
  access: "user",
  tags: ["tokens"],
  operationId: "tokens.list",
  method: "get",
  path: "/api/v1/tokens",
  summary: "List your API tokens",
  description: "The caller's own tokens that are not revoked, newest first. Tokens are shown by prefix only.",
  request: { query: z.object({}).strict() },
  responses: {
    200: { description: "Your tokens", content: { "application/json": { schema: ListTokensResponseSchema } } },
  },
});

/** More than anyone needs; a bound so the list stays one small query. */
const MAX_TOKENS = 200;

export function registerTokensList(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const t = schema.apiTokens;
    const rows = await getDb(c.env)
      .select(tokenViewColumns)
      .from(t)
      .where(and(eq(t.userId, userId), isNull(t.revokedAt)))
      .orderBy(desc(t.createdAt))
      .limit(MAX_TOKENS);
    return c.json({ success: true as const, data: rows.map(tokenView) }, 200);
  });
}
