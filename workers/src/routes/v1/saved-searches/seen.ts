import { z } from "@hono/zod-openapi";
import { getSql } from "../../../pkg/db";
import type { App } from "../../../pkg/hono/app";
import { notifySavedSearchOwners } from "../../../pkg/live/notify";
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

export const MarkSeenResponseSchema = z
  .object({ success: z.literal(true), data: SavedSearchSchema })
  .openapi("MarkSavedSearchSeenResponse");

const route = apiRoute({
  access: "user",
  tags: ["saved-searches"],
  operationId: "savedSearches.seen",
  method: "post",
  path: "/api/v1/saved-searches/{id}/seen",
  summary: "Mark a saved search's events read",
  description:
    "Marks every event recorded so far read (`unread_count` becomes 0) without reading them, as reading the first page " +
    "of `…/events` does. Open live streams of your account (`GET /api/v1/live/saved-searches`) get the new total.",
  request: { params: IdParamsSchema },
  errors: { 404: "No such saved search of yours" },
  responses: {
    200: { description: "The saved search, read", content: { "application/json": { schema: MarkSeenResponseSchema } } },
  },
});

export function registerSavedSearchesSeen(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const { id } = c.req.valid("param");
    const [row] = (await getSql(c.env).query(
      `UPDATE saved_searches s SET read_at = now() WHERE s.id = $1 AND s.user_id = $2 RETURNING ${SAVED_SEARCH_COLUMNS}`,
      [id, userId],
    )) as unknown as SavedSearchRow[];
    if (!row) throw notFound();
    await notifySavedSearchOwners(c.env, [id]);
    return c.json({ success: true as const, data: savedSearchView(row) }, 200);
  });
}
