/**
 * Consumer of `property-enrichment-dlq`: every message that exhausted its retries is stored in
 * `failed_enrichments` with the reason it last failed, then acked. Stored once per message id, so a
 * redelivered dead letter does not duplicate the row.
 */
import type { Env } from "../../env";
import { getSql } from "../db";
import type { QueueConsumer } from "../queues/dispatch";

export const ENRICHMENT_QUEUE_NAME = "property-enrichment";

export async function recordDeadLetter(
  env: Env,
  message: { id: string; body: unknown; attempts: number },
  reason: string,
): Promise<void> {
  const body = message.body as { property_id?: unknown } | null;
  const propertyId = typeof body?.property_id === "string" && /^[0-9a-f-]{36}$/i.test(body.property_id) ? body.property_id : null;
  await getSql(env).query(
    `INSERT INTO failed_enrichments (property_id, queue, message_id, message, reason, attempts)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6)
     ON CONFLICT (queue, message_id) DO NOTHING`,
    [propertyId, ENRICHMENT_QUEUE_NAME, message.id, JSON.stringify(message.body ?? null), reason, message.attempts],
  );
}

export function createDeadLetterConsumer(
  lastError: (env: Env, message: { id: string; body: unknown }) => Promise<string | null>,
): QueueConsumer {
  return async (batch, env) => {
    for (const message of batch.messages) {
      const reason = (await lastError(env, message)) ?? "retries exhausted (no error recorded)";
      // A failure to store throws: the batch is retried rather than the dead letter being lost.
      await recordDeadLetter(env, message, reason);
      message.ack();
    }
  };
}
