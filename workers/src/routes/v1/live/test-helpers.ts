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
 * Properties written straight to the table and matched at once, as the matching consumer does: no
 * write path, so no queued matching can send a notification of its own in between.
 */
export async function matchNewProperties(city: string, n: number): Promise<string[]> {
  const sql = getSql(testEnv);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await insertProperty(sql, { city, price: 500_000 + i, bedrooms: 3 }));
  const report = await matchSavedSearches(
    testEnv,
    ids.map((id) => ({ id, outcome: "created" as const })),
  );
  expect(report.events).toBeGreaterThanOrEqual(n);
  return ids;
}
