/**
 * Matching runs off the write path: `propertiesChanged` queues the changed ids (one message per write,
 * at most a batch of 500 ids) and this consumer matches them. A failed batch is retried by the queue;
 * matching is idempotent (match.ts), so a retry records and sends nothing twice. Without the queue
 * binding, writers match inline.
 */
import type { Env } from "../../env";
import type { PropertyChange } from "../changes";
import { log } from "../log";
import { matchSavedSearches } from "./match";

export type MatchMessage = { ids: string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Properties matched per call: the ingest batch size, which the statements are sized for. */
const MATCH_CHUNK = 500;

export async function queueMatching(env: Env, changes: PropertyChange[]): Promise<void> {
  const ids = [...new Set(changes.filter((c) => c.outcome !== "unchanged").map((c) => c.id))];
  if (ids.length === 0) return;
  if (!env.MATCH_QUEUE) {
    await matchSavedSearches(env, changes);
    return;
  }
  for (let i = 0; i < ids.length; i += MATCH_CHUNK) {
    await env.MATCH_QUEUE.send({ ids: ids.slice(i, i + MATCH_CHUNK) } satisfies MatchMessage);
  }
}

export async function consumeMatching(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const ids = [
    ...new Set(
      batch.messages.flatMap((m) => {
        const body = m.body as Partial<MatchMessage> | null;
        return Array.isArray(body?.ids) ? body.ids.filter((id): id is string => typeof id === "string" && UUID.test(id)) : [];
      }),
    ),
  ];
  try {
    for (let i = 0; i < ids.length; i += MATCH_CHUNK) {
      await matchSavedSearches(
        env,
        ids.slice(i, i + MATCH_CHUNK).map((id) => ({ id, outcome: "merged" as const })),
      );
    }
    batch.ackAll();
  } catch (err) {
    log(undefined, "warn", { msg: "saved-search matching failed; the queue retries it", error: (err as Error).message });
    batch.retryAll({ delaySeconds: 10 });
  }
}
