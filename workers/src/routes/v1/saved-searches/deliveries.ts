import { z } from "@hono/zod-openapi";
import { getSql } from "../../../pkg/db";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import {
  DELIVERY_COLUMNS,
  type DeliveryRow,
  DeliverySchema,
  deliveryView,
  IdParamsSchema,
  notFound,
  ownerOf,
  PageLimitSchema,
} from "./schema";

export const ListDeliveriesResponseSchema = z
  .object({ success: z.literal(true), data: z.array(DeliverySchema) })
  .openapi("ListWebhookDeliveriesResponse");

const route = apiRoute({
  access: "user",
  tags: ["saved-searches"],
  operationId: "savedSearches.deliveries",
  method: "get",
  path: "/api/v1/saved-searches/{id}/deliveries",
  summary: "The webhook delivery log of one of your saved searches",
  description:
    "The newest deliveries, one per event, each with its attempts (status code, duration, error) and, while pending, " +
    "when the next retry is due. A delivery that used up its retries is `failed`.",
  request: { params: IdParamsSchema, query: z.object({ limit: PageLimitSchema }).strict() },
  errors: { 404: "No such saved search of yours" },
  responses: {
    200: { description: "Deliveries, newest first", content: { "application/json": { schema: ListDeliveriesResponseSchema } } },
  },
});

export function registerSavedSearchesDeliveries(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const { id } = c.req.valid("param");
    const { limit } = c.req.valid("query");
    const sql = getSql(c.env);
    const [owned, rows] = await sql.transaction([
      sql.query("SELECT 1 FROM saved_searches WHERE id = $1 AND user_id = $2", [id, userId]),
      sql.query(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d
         JOIN saved_search_events e ON e.id = d.event_id
         JOIN saved_searches s ON s.id = d.saved_search_id AND s.user_id = $2
         WHERE d.saved_search_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $3`,
        [id, userId, limit],
      ),
    ]);
    if ((owned as unknown[]).length === 0) throw notFound();
    return c.json({ success: true as const, data: (rows as unknown as DeliveryRow[]).map(deliveryView) }, 200);
  });
}
