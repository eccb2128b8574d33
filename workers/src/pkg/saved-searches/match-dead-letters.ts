/**
 * Consumer of `saved-search-matching-dlq`: a match message whose retries ran out (match-queue.ts) is stored
 * in `failed_enrichments` (queue `saved-search-matching`, beside the enrichment and crawl dead letters) with
 * the reason it last failed, then acked. Stored once per message id, so a redelivered dead letter adds no
 * second row. The stored message keeps its `since`, so matching it again later finds the write's history
 * (docs/saved-searches.md "Retries and dead letters").
 */
import type { Env } from "../../env";
import { getSql } from "../db";
import { retryDelaySeconds } from "../enrichment/config";
import { log } from "../log";
import { getRedis } from "../redis";
import { MATCH_RETRY_BASE_SECONDS, matchErrorKey } from "./match-queue";

export const MATCH_QUEUE_NAME = "saved-search-matching";

async function lastMatchError(env: Env, messageId: string): Promise<string | null> {
  try {
    return await getRedis(env).get<string>(matchErrorKey(messageId));
  } catch {
    return null;
  }
}

export async function storeDeadMatchMessages(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const reason = (await lastMatchError(env, message.id)) ?? `retries exhausted on ${MATCH_QUEUE_NAME} (no error recorded)`;
    try {
      await getSql(env).query(
        `INSERT INTO failed_enrichments (queue, message_id, message, reason, attempts)
         VALUES ($1, $2, $3::jsonb, $4, $5)
         ON CONFLICT (queue, message_id) DO NOTHING`,
        [MATCH_QUEUE_NAME, message.id, JSON.stringify(message.body ?? null), reason, message.attempts],
      );
      message.ack();
    } catch (err) {
      // The database is still out: keep the dead letter (its own retries, wrangler.toml) rather than lose it.
      log(undefined, "warn", {
        msg: "could not store a dead saved-search match message; retrying",
        message_id: message.id,
        error: (err as Error).message,
      });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, MATCH_RETRY_BASE_SECONDS) });
    }
  }
}
