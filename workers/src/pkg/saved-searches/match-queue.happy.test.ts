/**
 * The matching queue's messages carry the time of their write (`since`), so a message handled long after
 * its write (a backlog, retries, a replayed dead letter) still finds the write's history and records its
 * events. The writes here go through `ingestItems` without the queue binding (matching inline, before the
 * search exists), so no queued message matches them first; the history is then moved two hours back.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../../test/helpers";
import { sampleItem, uniqueStreetName } from "../../../test/listings";
import type { Env } from "../../env";
import worker from "../../index";
import { createSavedSearch, jsonCall, userAuth } from "../../routes/v1/saved-searches/test-helpers";
import { getSql } from "../db";
import { ingestItems } from "../ingest";
import { HISTORY_MARGIN_MS, historySince } from "./match";
import { type MatchMessage, queueMatching } from "./match-queue";

const HOUR = 60 * 60_000;

async function kinds(auth: string, searchId: string): Promise<string[]> {
  const res = await jsonCall(`/api/v1/saved-searches/${searchId}/events?limit=100`, "GET", auth);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { data: Array<{ kind: string }> }).data.map((e) => e.kind);
}

/** Delivers one message to the Worker's `saved-search-matching` consumer; the ids it acked (one by one or all). */
async function deliver(body: MatchMessage): Promise<string[]> {
  const batch = createMessageBatch("saved-search-matching", [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, testEnv, ctx);
  const result = await getQueueResult(batch, ctx);
  return result.ackAll ? batch.messages.map((m) => m.id) : result.explicitAcks;
}

describe("the matching queue: late messages", () => {
  it("a match message handled 2 hours after its write still records the write's events, once", async () => {
    const inline: Env = { ...testEnv, MATCH_QUEUE: undefined as unknown as Queue };
    const city = uniqueStreetName();
    const listing = sampleItem({
      address: { street: `7 ${uniqueStreetName()} St`, city, state: "TAS", postal_code: "7000", country: "AU" },
      location: { lat: -42.2, lng: 146.6 },
      price: 950_000,
    });
    // Listed above the search's band, then a drop into it: a new match and a price drop.
    const [listed] = (await ingestItems(inline, [listing])).results;
    const id = listed?.id as string;
    await ingestItems(inline, [{ ...listing, price: 850_000 }]);
    const writtenAt = Date.now() - 2 * HOUR;

    const auth = await userAuth();
    const search = await createSavedSearch(auth, { query: `city=${city}&max_price=900000`, events: ["new_match", "price_drop"] });
    // Two hours on: the history was written then, by a search saved before it.
    const sql = getSql(testEnv);
    await sql.query("UPDATE property_events SET at = at - interval '2 hours' WHERE property_id = $1", [id]);
    await sql.query("UPDATE saved_searches SET created_at = now() - interval '3 hours' WHERE id = $1", [search.id]);
    await sql.query(
      "UPDATE saved_search_predicates SET search_created_at = now() - interval '3 hours' WHERE saved_search_id = $1",
      [search.id],
    );

    // A message from before messages carried `since` reads the last hour only: nothing.
    expect(await deliver({ ids: [id] })).toHaveLength(1);
    expect(await kinds(auth, search.id)).toEqual([]);

    // The write's own message: its history from a margin before the write on.
    const message = { ids: [id], since: historySince(writtenAt) };
    expect(await deliver(message)).toHaveLength(1);
    expect(await kinds(auth, search.id)).toEqual(["price_drop", "new_match"]);
    // Redelivered (or replayed from the dead-letter store): nothing twice.
    expect(await deliver(message)).toHaveLength(1);
    expect(await kinds(auth, search.id)).toEqual(["price_drop", "new_match"]);
  });

  it("a write's message carries since, a margin before the write", async () => {
    const sent: MatchMessage[] = [];
    const queue = { send: async (body: MatchMessage) => void sent.push(body) } as unknown as Queue;
    const before = Date.now();
    await queueMatching({ ...testEnv, MATCH_QUEUE: queue }, [{ id: crypto.randomUUID(), outcome: "created" }]);
    expect(sent).toHaveLength(1);
    const since = Date.parse(sent[0]?.since as string);
    expect(since).toBeGreaterThanOrEqual(before - HISTORY_MARGIN_MS);
    expect(since).toBeLessThanOrEqual(Date.now() - HISTORY_MARGIN_MS);
  });
});
