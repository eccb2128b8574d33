import { z } from "@hono/zod-openapi";
import { getSql } from "../../../pkg/db";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { IdParamsSchema, notFound, ownerOf } from "./schema";

export const DeleteSavedSearchResponseSchema = z
  .object({ success: z.literal(true), data: z.object({ id: z.uuid(), deleted: z.literal(true) }) })
  .openapi("DeleteSavedSearchResponse");

const route = apiRoute({
  access: "user",
  tags: ["saved-searches"],
  operationId: "savedSearches.delete",
  method: "delete",
  path: "/api/v1/saved-searches/{id}",
  summary: "Delete one of your saved searches",
  description: "Deletes the search with its events and delivery log; deliveries still queued are dropped.",
  request: { params: IdParamsSchema },
  errors: { 404: "No such saved search of yours" },
  responses: {
    200: { description: "Deleted", content: { "application/json": { schema: DeleteSavedSearchResponseSchema } } },
  },
});

export function registerSavedSearchesDelete(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const { id } = c.req.valid("param");
    const rows = (await getSql(c.env).query("DELETE FROM saved_searches WHERE id = $1 AND user_id = $2 RETURNING id", [
      id,
      userId,
    ])) as unknown as Array<{ id: string }>;
    if (rows.length === 0) throw notFound();
    return c.json({ success: true as const, data: { id, deleted: true as const } }, 200);
  });
}
