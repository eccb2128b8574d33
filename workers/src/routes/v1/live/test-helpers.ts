/** Helpers for the tests of the account stream (`GET /api/v1/live/saved-searches`). */
import { expect } from "vitest";
import { call, testEnv } from "../../../../test/helpers";
import { insertProperty, type SseEvent, sseReader } from "../../../../test/sse";
import { getSql } from "../../../pkg/db";
import { matchSavedSearches } from "../../../pkg/saved-searches/match";

export type Stream = ReturnType<typeof sseReader>;

/** Opens the caller's stream and reads its `ready` and first `unread` events; resolves to the reader and that count. */
export async function openStream(auth: string, timeout = 30): Promise<{ events: Stream; initial: number }> {
  const res = await call(`/api/v1/live/saved-searches?timeout=${timeout}`, { headers: { Authorization: auth } });
  // (The body is read for the message only on failure: a stream's body ends only with the stream.)
  if (res.status !== 200) expect(res.status, await res.text()).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const events = sseReader(res);
  expect((await events.next()).event).toBe("ready");
  return { events, initial: unreadOf(await events.next()) };
}

export function unreadOf(event: SseEvent): number {
  expect(event.event).toBe("unread");
  return (JSON.parse(event.data) as { unread_count: number }).unread_count;
}

/**
 * Properties written straight to the table, with the `listed` history row the merge records for a new
 * property (matching reads what changed from the history), and matched at once, as the matching consumer
 * does: no write path, so no queued matching can send a notification of its own in between.
 */
export async function matchNewProperties(city: string, n: number): Promise<string[]> {
  const sql = getSql(testEnv);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const price = 500_000 + i;
    const id = await insertProperty(sql, { city, price, bedrooms: 3 });
    await sql.query(
      `INSERT INTO property_events (property_id, type, old, new, source)
       VALUES ($1, 'listed', NULL, jsonb_build_object('status', 'active', 'price', $2::numeric, 'currency', 'USD'), 'test-source')`,
      [id, price],
    );
    ids.push(id);
  }
  const report = await matchSavedSearches(
    testEnv,
    ids.map((id) => ({ id, outcome: "created" as const })),
  );
  expect(report.events).toBeGreaterThanOrEqual(n);
  return ids;
}
