import { z } from "@hono/zod-openapi";
import { getSql } from "../../../pkg/db";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import {
  IdParamsSchema,
  notFound,
  ownerOf,
  SAVED_SEARCH_COLUMNS,
  type SavedSearchRow,
  SavedSearchSchema,
  savedSearchView,
} from "./schema";

export const GetSavedSearchResponseSchema = z
  .object({ success: z.literal(true), data: SavedSearchSchema })
  .openapi("GetSavedSearchResponse");

const route = apiRoute({
  access: "user",
  tags: ["saved-searches"],
  operationId: "savedSearches.get",
  method: "get",
  path: "/api/v1/saved-searches/{id}",
  summary: "Get one of your saved searches",
  description: "Another user's saved search is 404, like a missing one.",
  request: { params: IdParamsSchema },
  errors: { 404: "No such saved search of yours" },
  responses: {
    200: { description: "The saved search", content: { "application/json": { schema: GetSavedSearchResponseSchema } } },
  },
});

export function registerSavedSearchesGet(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const { id } = c.req.valid("param");
    const [row] = (await getSql(c.env).query(
      `SELECT ${SAVED_SEARCH_COLUMNS} FROM saved_searches s WHERE s.id = $1 AND s.user_id = $2`,
      [id, userId],
    )) as unknown as SavedSearchRow[];
    if (!row) throw notFound();
    return c.json({ success: true as const, data: savedSearchView(row) }, 200);
  });
}
