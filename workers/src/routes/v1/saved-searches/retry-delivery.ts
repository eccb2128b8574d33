import { z } from "@hono/zod-openapi";
import { getSql } from "../../../pkg/db";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { enqueueDeliveries } from "../../../pkg/saved-searches/enqueue";
import { DELIVERY_COLUMNS, type DeliveryRow, DeliverySchema, deliveryView, ownerOf } from "./schema";

export const RetryDeliveryResponseSchema = z
  .object({ success: z.literal(true), data: DeliverySchema })
  .openapi("RetryWebhookDeliveryResponse");

const route = apiRoute({
  access: "user",
  tags: ["saved-searches"],
  operationId: "savedSearches.retryDelivery",
  method: "post",
  path: "/api/v1/saved-searches/{id}/deliveries/{delivery_id}/retry",
  summary: "Send a webhook delivery again",
  description:
    "Queues a finished delivery (failed, or succeeded) again with the same `webhook-id`, with a fresh set of retries. " +
    "A pending delivery is 409.",
  request: {
    params: z.object({
      id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
      delivery_id: z.uuid().openapi({ param: { name: "delivery_id", in: "path" } }),
    }),
  },
  errors: { 404: "No such delivery of a saved search of yours", 409: "The delivery is still pending" },
  responses: {
    202: { description: "Queued again", content: { "application/json": { schema: RetryDeliveryResponseSchema } } },
  },
});

export function registerSavedSearchesRetryDelivery(app: App) {
  app.openapi(route, async (c) => {
    const userId = ownerOf(c.get("identity"));
    const { id, delivery_id } = c.req.valid("param");
    const sql = getSql(c.env);
    const [found] = (await sql.query(
      `SELECT d.status FROM webhook_deliveries d JOIN saved_searches s ON s.id = d.saved_search_id
       WHERE d.id = $1 AND d.saved_search_id = $2 AND s.user_id = $3`,
      [delivery_id, id, userId],
    )) as unknown as Array<{ status: string }>;
    if (!found) throw new ApiError("NOT_FOUND", "No such delivery.");
    const [row] = (await sql.query(
      `UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = now(), last_error = NULL
       FROM saved_search_events e WHERE d.id = $1 AND e.id = d.event_id AND d.status <> 'pending'
       RETURNING ${DELIVERY_COLUMNS}`,
      [delivery_id],
    )) as unknown as DeliveryRow[];
    if (!row) throw new ApiError("CONFLICT", "This delivery is still pending; it is retried on its own.");
    await enqueueDeliveries(c.env, [delivery_id]);
    return c.json({ success: true as const, data: deliveryView(row) }, 202);
  });
}
