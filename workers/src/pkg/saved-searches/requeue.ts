/**
 * Deliveries are written before their queue message is sent; if the send fails (or a message is lost),
 * the delivery stays `pending` with a due time long past. A cron job (every 10 minutes) queues those
 * again. The consumer sends only pending deliveries, with their stable `webhook-id`, so a delivery queued
 * twice is at worst received twice with the same id, which receivers de-duplicate.
 */
import type { Env } from "../../env";
import { getSql } from "../db";
import { enqueueDeliveries } from "./enqueue";

/** A retry is this late before the delivery counts as lost (queue delays are exact to seconds). */
const LOST_AFTER = "15 minutes";
const MAX_PER_RUN = 1000;

export async function requeueStaleDeliveries(env: Env): Promise<number> {
  const rows = (await getSql(env).query(
    `UPDATE webhook_deliveries SET next_attempt_at = now()
     WHERE id IN (SELECT id FROM webhook_deliveries
                  WHERE status = 'pending' AND next_attempt_at < now() - $1::interval
                  ORDER BY next_attempt_at LIMIT $2)
     RETURNING id`,
    [LOST_AFTER, MAX_PER_RUN],
  )) as unknown as Array<{ id: string }>;
  await enqueueDeliveries(
    env,
    rows.map((r) => r.id),
  );
  return rows.length;
}
