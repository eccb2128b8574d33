/**
 * The events step of matching (match.ts EVENTS_TAIL, through EVENTS_SQL) on a property's real history:
 * which kinds a confirmed (search, property) pair gets from the changes recorded, keyed by the change that
 * caused them. The pairs are given as the matcher gives them, with a search id of this test alone, so the
 * history rows inserted here are read exactly as the merge's own.
 */
import { describe, expect, it } from "vitest";
import { currenciesByMinorDigits } from "../../../../connectors/contract/money/minor-units";
import { testEnv } from "../../../test/helpers";
import { postJson, sampleItem } from "../../../test/listings";
import { getSql } from "../db";
import { EVENTS_SQL } from "./match";

const ALL = ["new_match", "price_drop", "status_change", "back_on_market"];

async function listing(price = 850_000): Promise<string> {
  const res = await postJson("/api/v1/properties", sampleItem({ price }));
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return ((await res.json()) as { data: { id: string } }).data.id;
}

/** Appends a history row as the merge writes it (prices in whole units); returns its id. */
async function history(propertyId: string, type: string, old: object, next: object, at = "now()"): Promise<string> {
  const [row] = (await getSql(testEnv).query(
    `INSERT INTO property_events (property_id, type, old, new, source, at) VALUES ($1, $2, $3, $4, 'test', ${at}) RETURNING id::text`,
    [propertyId, type, JSON.stringify(old), JSON.stringify(next)],
  )) as unknown as [{ id: string }];
  return row.id;
}

type Pair = { statuses?: string[]; min_p?: number | null; max_p?: number | null; events?: string[]; created_at?: string };

/** Runs the events step for one pair; returns what the search's events are now, oldest first. */
async function eventsOf(propertyId: string, pair: Pair = {}, searchId = crypto.randomUUID()) {
  const { zero, three } = currenciesByMinorDigits();
  const row = {
    saved_search_id: searchId,
    property_id: propertyId,
    statuses: pair.statuses ?? ["active"],
    min_p: pair.min_p ?? null,
    max_p: pair.max_p ?? null,
    events: pair.events ?? ALL,
    created_at: pair.created_at ?? new Date(Date.now() - 10 * 60_000).toISOString(),
    hooked: false,
  };
  const [outcome] = (await getSql(testEnv).query(EVENTS_SQL, [
    JSON.stringify([row]),
    // No write time: the history of the last hour (match.ts HISTORY_WINDOW), as a message without \`since\`.
    null,
    zero,
    three,
  ])) as unknown as [{ events: number }];
  const events = (await getSql(testEnv).query(
    `SELECT kind, change_version::text, data FROM saved_search_events WHERE saved_search_ids @> ARRAY[$1::uuid] ORDER BY id`,
    [searchId],
  )) as unknown as Array<{ kind: string; change_version: string; data: Record<string, unknown> }>;
  return { recorded: outcome.events, events, searchId };
}

describe("the events of a matched pair", () => {
  it("matched after its listing, a price drop and a sale were all written: a new match, the drop and the sale, each keyed by its change", async () => {
    const id = await listing();
    const drop = await history(id, "price_change", { price: 850_000, currency: "AUD" }, { price: 800_000, currency: "AUD" });
    const sale = await history(id, "status_change", { status: "active" }, { status: "sold" });
    const { events } = await eventsOf(id);
    expect(events.map((e) => e.kind)).toEqual(["new_match", "price_drop", "status_change"]);
    expect(events[1]).toMatchObject({ change_version: drop, data: { old_price: 850_000, new_price: 800_000, currency: "AUD" } });
    expect(events[2]).toMatchObject({ change_version: sale, data: { old_status: "active", new_status: "sold" } });
  });

  it("a price drop while sold is not reported; a sale of a listing the search did not want is not either", async () => {
    const id = await listing();
    await history(id, "status_change", { status: "active" }, { status: "sold" });
    await history(id, "price_change", { price: 850_000, currency: "AUD" }, { price: 800_000, currency: "AUD" });
    await getSql(testEnv).query("UPDATE properties SET status = 'sold' WHERE id = $1", [id]);
    expect((await eventsOf(id)).events.map((e) => e.kind)).toEqual(["new_match", "status_change"]);
    expect((await eventsOf(id, { statuses: ["pending"] })).events).toEqual([]);
  });

  it("a change that moves the price into the band is a new match; a drop inside the band is only a price drop", async () => {
    const id = await listing(950_000);
    const band = { min_p: 50_000_000, max_p: 90_000_000, created_at: new Date(Date.now() + 1000).toISOString() };
    // Saved after the listing: its `listed` row is older than the search and gives nothing.
    await new Promise((r) => setTimeout(r, 1100));
    const into = await history(id, "price_change", { price: 950_000, currency: "AUD" }, { price: 880_000, currency: "AUD" });
    const within = await history(id, "price_change", { price: 880_000, currency: "AUD" }, { price: 850_000, currency: "AUD" });
    const { events } = await eventsOf(id, band);
    expect(events.map((e) => [e.kind, e.change_version])).toEqual([
      ["new_match", into],
      ["price_drop", into],
      ["price_drop", within],
    ]);
  });

  it("history from before the search was saved and events not asked for give nothing; the same changes matched again record nothing", async () => {
    const id = await listing();
    await history(
      id,
      "price_change",
      { price: 900_000, currency: "AUD" },
      { price: 850_000, currency: "AUD" },
      "now() - interval '5 minutes'",
    );
    expect((await eventsOf(id, { created_at: new Date(Date.now() + 1000).toISOString() })).events).toEqual([]);
    expect((await eventsOf(id, { events: ["status_change"] })).events).toEqual([]);
    const first = await eventsOf(id);
    expect(first.events.map((e) => e.kind)).toEqual(["new_match", "price_drop"]);
    const again = await eventsOf(id, {}, first.searchId);
    expect(again.recorded).toBe(0);
    expect(again.events).toEqual(first.events);
  });

  it("records one row per change for every search it is an event of", async () => {
    const id = await listing();
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await eventsOf(id, {}, a);
    await eventsOf(id, {}, b);
    const rows = (await getSql(testEnv).query(
      "SELECT kind, saved_search_ids::text[] AS ids FROM saved_search_events WHERE property_id = $1 AND saved_search_ids && $2::uuid[]",
      [id, [a, b]],
    )) as unknown as Array<{ kind: string; ids: string[] }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.ids).toEqual(expect.arrayContaining([a, b]));
  });
});
