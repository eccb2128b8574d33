import { z } from "@hono/zod-openapi";
import { getSql } from "../../../pkg/db";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { MAX_SAVED_SEARCHES_PER_USER } from "../../../pkg/saved-searches/config";
import { ownerOf, SAVED_SEARCH_COLUMNS, type SavedSearchRow, SavedSearchSchema, savedSearchView } from "./schema";

export const ListSavedSearchesResponseSchema = z
  .object({ success: z.literal(true), data: z.array(SavedSearchSchema) })
  .openapi("ListSavedSearchesResponse");

const route = apiRoute({
  access: "user",
  tags: ["saved-searches"],
  operationId: "savedSearches.list",
  method: "get",
  path: "/api/v1/saved-searches",
  summary: "List your saved searches",
  description: `The caller's saved searches (at most ${MAX_SAVED_SEARCHES_PER_USER}), newest first, with their unread counts. Never the webhook secret.`,
  request: { query: z.object({}).strict() },
  responses: {
    200: { description: "Your saved searches", content: { "application/json": { schema: ListSavedSearchesResponseSchema } } },
  },
});

export function registerSavedSearchesList(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const rows = (await getSql(c.env).query(
      `SELECT ${SAVED_SEARCH_COLUMNS} FROM saved_searches s WHERE s.user_id = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT $2`,
      [userId, MAX_SAVED_SEARCHES_PER_USER],
    )) as unknown as SavedSearchRow[];
    return c.json({ success: true as const, data: rows.map(savedSearchView) }, 200);
  });
}
