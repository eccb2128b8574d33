/**
 * Matching runs off the write path: `propertiesChanged` queues the changed ids (one message per write,
 * at most a batch of 500 ids) with the time the write's history starts (`since`), and this consumer
 * matches them. A failed batch is retried by the queue with a doubling delay; matching is idempotent
 * (match.ts), so a retry records and sends nothing twice. A message whose retries ran out goes to
 * `saved-search-matching-dlq`, whose consumer (match-dead-letters.ts) stores it: a match message is never
 * dropped (docs/saved-searches.md "Retries and dead letters"). Without the queue binding, writers match inline.
 */
import type { Env } from "../../env";
import type { PropertyChange } from "../changes";
import { retryDelaySeconds } from "../enrichment/config";
import { log } from "../log";
import { getRedis } from "../redis";
import { HISTORY_MARGIN_MS, historySince, matchSavedSearches } from "./match";

export type MatchMessage = {
  ids: string[];
  /**
   * ISO time matching reads the properties' history from: a margin before the write (`historySince`).
   * Missing in messages queued before it existed; those read the last hour (match.ts HISTORY_WINDOW).
   */
  since?: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Properties matched per call: the ingest batch size, which the statements are sized for. */
const MATCH_CHUNK = 500;
/**
 * First retry delay, doubling per attempt up to an hour: with wrangler.toml's max_retries = 10, a message
 * is retried for about two and a half hours (10 + 20 + … + 2,560 + 3,600 s) before it is dead-lettered,
 * long enough to ride out a database outage or a deploy.
 */
export const MATCH_RETRY_BASE_SECONDS = 10;

export async function queueMatching(env: Env, changes: PropertyChange[]): Promise<void> {
  const ids = [...new Set(changes.filter((c) => c.outcome !== "unchanged").map((c) => c.id))];
  if (ids.length === 0) return;
  const since = historySince();
  if (!env.MATCH_QUEUE) {
    await matchSavedSearches(env, changes, since);
    return;
  }
  for (let i = 0; i < ids.length; i += MATCH_CHUNK) {
    await env.MATCH_QUEUE.send({ ids: ids.slice(i, i + MATCH_CHUNK), since } satisfies MatchMessage);
  }
}

/** A message's `since` when it is a valid time, else (an older message) where the fallback window starts. */
function sinceOf(body: Partial<MatchMessage> | null): number {
  const at = typeof body?.since === "string" ? Date.parse(body.since) : Number.NaN;
  return Number.isFinite(at) ? at : Date.now() - HISTORY_MARGIN_MS;
}

/** Where the last failure of a message is kept for the dead-letter consumer (its `reason`). */
export function matchErrorKey(messageId: string): string {
  return `pillow:matching:error:${messageId}`;
}

export async function consumeMatching(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const bodies = batch.messages.map((m) => m.body as Partial<MatchMessage> | null);
  const ids = [
    ...new Set(
      bodies.flatMap((body) =>
        Array.isArray(body?.ids) ? body.ids.filter((id): id is string => typeof id === "string" && UUID.test(id)) : [],
      ),
    ),
  ];
  // The batch's messages are matched together, from the earliest write among them: a property's history
  // from before its own write holds earlier writes' rows, whose events are keyed, so recorded once whoever
  // matches them first.
  const since = bodies.length > 0 ? new Date(Math.min(...bodies.map(sinceOf))).toISOString() : null;
  try {
    for (let i = 0; i < ids.length; i += MATCH_CHUNK) {
      await matchSavedSearches(
        env,
        ids.slice(i, i + MATCH_CHUNK).map((id) => ({ id, outcome: "merged" as const })),
        since,
      );
    }
    batch.ackAll();
  } catch (err) {
    const reason = ((err as Error).message || String(err)).slice(0, 1000);
    log(undefined, "warn", { msg: "saved-search matching failed; the queue retries it", error: reason });
    // Kept two weeks, for the dead-letter consumer; Redis being down (or unset) too only loses the reason.
    try {
      const redis = getRedis(env);
      await Promise.all(
        batch.messages.map((m) => redis.set(matchErrorKey(m.id), reason, { ex: 14 * 24 * 3600 }).catch(() => {})),
      );
    } catch {}
    for (const message of batch.messages) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, MATCH_RETRY_BASE_SECONDS) });
    }
  }
}
