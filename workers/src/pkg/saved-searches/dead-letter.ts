/**
 * The webhook dead-letter consumer (queue `webhook-deliveries-dlq`): a delivery that used up its
 * attempts (or whose messages kept crashing the consumer) ends here and is marked `failed` in the
 * delivery log, where it stays visible and can be retried by hand. Failed deliveries in a row count
 * against the endpoint: after `WEBHOOK_DISABLE_AFTER_FAILURES` of them its webhook is disabled, with the
 * reason shown on the saved search, until the owner sets a URL or re-enables it.
 */
import type { Env } from "../../env";
import { getSql } from "../db";
import { webhookSettings } from "./config";
import type { DeliveryMessage } from "./enqueue";

const FAIL_SQL = `
WITH d AS (
  UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL,
    last_error = coalesce(last_error, 'no attempt could be made')
  WHERE id = $1 AND status = 'pending'
  RETURNING saved_search_id, attempts, last_error)
UPDATE saved_searches s SET
  webhook_failures = s.webhook_failures + 1,
  webhook_disabled_at = CASE WHEN s.webhook_failures + 1 >= $2 THEN coalesce(s.webhook_disabled_at, now()) ELSE s.webhook_disabled_at END,
  webhook_disabled_reason = CASE WHEN s.webhook_failures + 1 >= $2 AND s.webhook_disabled_at IS NULL
    THEN format('%s deliveries in a row failed after all their attempts; the last failed after %s attempts: %s',
                s.webhook_failures + 1, d.attempts, d.last_error)
    ELSE s.webhook_disabled_reason END
FROM d WHERE s.id = d.saved_search_id`;

export async function consumeWebhookDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const { disableAfterFailures } = webhookSettings(env);
  for (const msg of batch.messages) {
    const id = (msg.body as Partial<DeliveryMessage> | null)?.delivery_id;
    if (typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id)) {
      await getSql(env).query(FAIL_SQL, [id, disableAfterFailures]);
    }
    msg.ack();
  }
}
