/**
 * A match message whose matching keeps failing (the database unreachable) is retried with a doubling delay,
 * then dead-lettered; the dead-letter consumer stores it in failed_enrichments once per message id, and
 * keeps it (retries) while the database is still out. Nothing is dropped (docs/saved-searches.md "Retries and dead letters").
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../../test/helpers";
import type { Env } from "../../env";
import worker from "../../index";
import { getSql } from "../db";
import { historySince } from "./match";
import type { MatchMessage } from "./match-queue";

/** Postgres unreachable: nothing listens there. */
const down: Env = { ...testEnv, NEON_HTTP_ENDPOINT: "http://127.0.0.1:9/sql", DB_TIMEOUT_MS: "2000" };
/** wrangler.toml: the `saved-search-matching` consumer's max_retries. */
const MAX_RETRIES = 10;

type Message = { id: string; timestamp: Date; attempts: number; body: MatchMessage };
type Result = { acked: string[]; retried: Array<{ id: string; delaySeconds: number | undefined }> };

/** Delivers a batch to the Worker's consumer for `queue`, watching each retry's delay (the pool does not report it). */
async function deliver(queue: string, messages: Message[], env: Env): Promise<Result> {
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  const retried: Result["retried"] = [];
  const watched = {
    queue: batch.queue,
    messages: batch.messages.map((m) => ({
      id: m.id,
      body: m.body,
      attempts: m.attempts,
      timestamp: m.timestamp,
      ack: () => m.ack(),
      retry: (o?: QueueRetryOptions) => {
        retried.push({ id: m.id, delaySeconds: o?.delaySeconds });
        m.retry(o);
      },
    })),
    ackAll: () => batch.ackAll(),
    retryAll: (o?: QueueRetryOptions) => {
      for (const m of batch.messages) retried.push({ id: m.id, delaySeconds: o?.delaySeconds });
      batch.retryAll(o);
    },
  } as unknown as MessageBatch;
  await worker.queue(watched, env, ctx);
  const result = await getQueueResult(batch, ctx);
  expect(result.retryMessages.map((r: { msgId: string }) => r.msgId).sort()).toEqual(retried.map((r) => r.id).sort());
  return { acked: result.ackAll ? batch.messages.map((m) => m.id) : result.explicitAcks, retried };
}

async function storedDeadLetters(messageId: string) {
  return (await getSql(testEnv).query(
    "SELECT queue, message, reason, attempts, resolved FROM failed_enrichments WHERE queue = 'saved-search-matching' AND message_id = $1",
    [messageId],
  )) as unknown as Array<{ queue: string; message: MatchMessage; reason: string; attempts: number; resolved: boolean }>;
}

describe("the matching queue: failures and dead letters", () => {
  it("retries a message whose matching keeps failing with growing delays, then stores its dead letter once", async () => {
    let message: Message = {
      id: crypto.randomUUID(),
      timestamp: new Date(),
      attempts: 1,
      body: { ids: [crypto.randomUUID()], since: historySince() },
    };
    const delays: Array<number | undefined> = [];
    // The queue's contract: a retried message comes back with one more attempt; after max_retries retries
    // it moves to the dead-letter queue with the same id and body.
    for (;;) {
      const { acked, retried } = await deliver("saved-search-matching", [message], down);
      expect(acked).toEqual([]);
      expect(retried.map((r) => r.id)).toEqual([message.id]);
      delays.push(retried[0]?.delaySeconds);
      if (message.attempts > MAX_RETRIES) break;
      message = { ...message, attempts: message.attempts + 1 };
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]);

    // Dead-lettered, and delivered twice by the dead-letter queue: one row.
    for (let i = 0; i < 2; i++) {
      const { acked, retried } = await deliver("saved-search-matching-dlq", [message], testEnv);
      expect(acked).toEqual([message.id]);
      expect(retried).toEqual([]);
    }
    const rows = await storedDeadLetters(message.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      queue: "saved-search-matching",
      message: message.body,
      attempts: MAX_RETRIES + 1,
      resolved: false,
    });
    // The reason is the last error matching failed with, not a bare "retries exhausted".
    expect(rows[0]?.reason).not.toMatch(/no error recorded/);
  });

  it("keeps a dead letter it cannot store yet (the database still out): retried with a delay, not acked", async () => {
    const message: Message = {
      id: crypto.randomUUID(),
      timestamp: new Date(),
      attempts: 1,
      body: { ids: [crypto.randomUUID()] },
    };
    const { acked, retried } = await deliver("saved-search-matching-dlq", [message], down);
    expect(acked).toEqual([]);
    expect(retried).toEqual([{ id: message.id, delaySeconds: 10 }]);
    expect(await storedDeadLetters(message.id)).toEqual([]);

    // Once it is back, the redelivered dead letter is stored; its reason says none was recorded.
    expect((await deliver("saved-search-matching-dlq", [{ ...message, attempts: 2 }], testEnv)).acked).toEqual([message.id]);
    expect((await storedDeadLetters(message.id)).map((r) => r.reason)).toEqual([
      "retries exhausted on saved-search-matching (no error recorded)",
    ]);
  });
});
