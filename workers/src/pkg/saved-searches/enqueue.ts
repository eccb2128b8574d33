/** Puts webhook deliveries on the delivery queue (one message per delivery, so each is retried on its own). */
import type { Env } from "../../env";

export type DeliveryMessage = { delivery_id: string };

/** Cloudflare Queues accept at most 100 messages per `sendBatch`. */
const SEND_BATCH_MAX = 100;

export async function enqueueDeliveries(env: Env, deliveryIds: string[]): Promise<void> {
  const queue = env.WEBHOOK_QUEUE;
  if (!queue) return;
  for (let i = 0; i < deliveryIds.length; i += SEND_BATCH_MAX) {
    await queue.sendBatch(
      deliveryIds.slice(i, i + SEND_BATCH_MAX).map((id) => ({ body: { delivery_id: id } satisfies DeliveryMessage })),
    );
  }
}
