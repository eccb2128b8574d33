/**
 * Incremental matching against the real database: saved searches made through the API, listings ingested
 * through the API (and withdrawn through the admin route), events read back from the events endpoint.
 * Writes queue their ids for matching; where a test asserts that something was NOT recorded, it also
 * matches the ids itself (`settle`), which matching's idempotency allows, so the queue's timing cannot
 * make the assertion pass early.
 */
import { describe, expect, it, vi } from "vitest";
import { bearerFor, call, testEnv } from "../../../test/helpers";
import { postJson, sampleItem, uniqueStreetName } from "../../../test/listings";
import { createSavedSearch, jsonCall, userAuth } from "../../routes/v1/saved-searches/test-helpers";
import { getSql } from "../db";
import { MATCH_SQL, matchParams, matchSavedSearches } from "./match";

type Event = { id: string; kind: string; property_id: string; change: Record<string, unknown> };

async function eventsOf(auth: string, id: string): Promise<Event[]> {
  const res = await jsonCall(`/api/v1/saved-searches/${id}/events?limit=100`, "GET", auth);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { data: Event[] }).data;
}

async function ingest(item: ReturnType<typeof sampleItem>): Promise<string> {
  const res = await postJson("/api/v1/properties", item);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return ((await res.json()) as { data: { id: string } }).data.id;
}

/** Matches the properties now, as the queue consumer does (idempotent: the queued match adds nothing). */
async function settle(...ids: string[]): Promise<void> {
  await matchSavedSearches(
    testEnv,
    ids.map((id) => ({ id, outcome: "merged" as const })),
  );
}

async function kindsEventually(auth: string, id: string, kinds: string[]): Promise<Event[]> {
  let events: Event[] = [];
  await vi.waitFor(
    async () => {
      events = await eventsOf(auth, id);
      expect(events.map((e) => e.kind)).toEqual(kinds);
    },
    { timeout: 20_000, interval: 200 },
  );
  return events;
}

/** A town no other test uses, in Tasmania. */
function town() {
  return { street: `3 ${uniqueStreetName()} St`, city: uniqueStreetName(), state: "TAS", postal_code: "7000", country: "AU" };
}

describe("matching saved searches at ingest", () => {
  it("records a new match, a price drop, a sale and a relisting once each, and nothing for listings that do not match", async () => {
    const auth = await userAuth();
    const address = town();
    const search = await createSavedSearch(auth, {
      query: `city=${address.city}&max_price=900000&min_bedrooms=2`,
      events: ["new_match", "price_drop", "status_change", "back_on_market"],
    });
    const listing = sampleItem({ address, location: { lat: -42.88, lng: 147.33 }, price: 850_000 });
    // Through the queue alone: the write queues the id, the consumer matches it.
    const id = await ingest(listing);
    await kindsEventually(auth, search.id, ["new_match"]);

    // Not matching: too dear, too few bedrooms, another town; a price rise is no drop.
    const others = [
      await ingest(sampleItem({ address: { ...town(), city: address.city }, price: 950_000 })),
      await ingest(sampleItem({ address: { ...town(), city: address.city }, bedrooms: 1 })),
      await ingest(sampleItem({ address: town() })),
    ];
    await ingest({ ...listing, price: 880_000 });
    await settle(id, ...others);
    expect((await eventsOf(auth, search.id)).map((e) => e.kind)).toEqual(["new_match"]);

    await ingest({ ...listing, price: 820_000 });
    await kindsEventually(auth, search.id, ["price_drop", "new_match"]);
    await ingest({ ...listing, price: 820_000, status: "sold", sold_at: "2026-11-20T00:00:00Z" } as never);
    await kindsEventually(auth, search.id, ["status_change", "price_drop", "new_match"]);
    await ingest({ ...listing, price: 820_000, status: "active", listed_at: "2026-11-25T00:00:00Z" });
    await settle(id);
    const events = await kindsEventually(auth, search.id, ["back_on_market", "status_change", "price_drop", "new_match"]);
    expect(events.every((e) => e.property_id === id)).toBe(true);
    expect(events[2]?.change).toMatchObject({ old_price: 880_000, new_price: 820_000 });
    expect(events[1]?.change).toMatchObject({ old_status: "active", new_status: "sold" });

    // At-least-once: the same changes matched again record nothing new.
    await matchSavedSearches(testEnv, [{ id, outcome: "merged" }]);
    await matchSavedSearches(testEnv, [{ id, outcome: "merged" }]);
    expect(await eventsOf(auth, search.id)).toHaveLength(4);
  });

  it("matches a radius search through its area, and the exact filter drops what is inside the envelope but outside the circle", async () => {
    const auth = await userAuth();
    // 2 km around a point far from other tests' listings.
    const search = await createSavedSearch(auth, { query: "near=-41.05,145.90&radius_km=2" });
    const inside = await ingest(sampleItem({ address: town(), location: { lat: -41.055, lng: 145.905 } }));
    // The corner of the envelope: within 2 km in latitude and longitude, not in distance (about 2.6 km).
    const corner = await ingest(sampleItem({ address: town(), location: { lat: -41.0675, lng: 145.9235 } }));
    await settle(inside, corner);
    expect((await eventsOf(auth, search.id)).map((e) => e.property_id)).toEqual([inside]);
  });

  it("a search with a filter its predicate rows cannot hold (features) is confirmed by that filter", async () => {
    const auth = await userAuth();
    const address = town();
    const search = await createSavedSearch(auth, { query: `city=${address.city}&features=garage` });
    const without = await ingest(sampleItem({ address, features: ["garden"] }));
    const withIt = await ingest(sampleItem({ address: { ...town(), city: address.city }, features: ["garage", "garden"] }));
    await settle(without, withIt);
    expect((await eventsOf(auth, search.id)).map((e) => e.property_id)).toEqual([withIt]);
  });

  it("a price change into a search's band is a new match there; a drop of a property that already matched is not a second one", async () => {
    const auth = await userAuth();
    const address = town();
    const listing = sampleItem({ address, price: 950_000 });
    const id = await ingest(listing);
    const cheap = await createSavedSearch(auth, {
      query: `city=${address.city}&max_price=900000`,
      events: ["new_match", "price_drop"],
    });
    const any = await createSavedSearch(auth, { query: `city=${address.city}`, events: ["new_match", "price_drop"] });
    await ingest({ ...listing, price: 880_000 });
    await kindsEventually(auth, cheap.id, ["price_drop", "new_match"]);
    await kindsEventually(auth, any.id, ["price_drop"]);
    await settle(id);
    // One event row per change and kind, naming the searches it is an event of.
    const rows = (await getSql(testEnv).query(
      `SELECT kind, $2::uuid = ANY(saved_search_ids) AS cheap, $3::uuid = ANY(saved_search_ids) AS any
       FROM saved_search_events WHERE property_id = $1 AND saved_search_ids && ARRAY[$2::uuid, $3::uuid] ORDER BY id`,
      [id, cheap.id, any.id],
    )) as unknown as Array<{ kind: string; cheap: boolean; any: boolean }>;
    expect(rows).toEqual([
      { kind: "new_match", cheap: true, any: false },
      { kind: "price_drop", cheap: true, any: true },
    ]);
  });

  it("a paused search records nothing, and a withdrawal (admin route) is a status change", async () => {
    const auth = await userAuth();
    const address = town();
    const paused = await createSavedSearch(auth, { query: `city=${address.city}` });
    await jsonCall(`/api/v1/saved-searches/${paused.id}`, "PATCH", auth, { paused: true });
    const watching = await createSavedSearch(auth, { query: `city=${address.city}`, events: ["new_match", "status_change"] });
    const id = await ingest(sampleItem({ address }));
    await kindsEventually(auth, watching.id, ["new_match"]);
    const res = await call(`/api/v1/properties/${id}`, {
      method: "DELETE",
      headers: { Authorization: await bearerFor("admin") },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const events = await kindsEventually(auth, watching.id, ["status_change", "new_match"]);
    expect(events[0]?.change.new_status).toBe("withdrawn");
    await settle(id);
    expect(await eventsOf(auth, paused.id)).toEqual([]);
  });

  it("finds candidates through the predicate indexes, not by reading every saved search", async () => {
    const [{ indexes }] = (await getSql(testEnv).query(
      "SELECT array_agg(indexname::text ORDER BY indexname) AS indexes FROM pg_indexes WHERE tablename = 'saved_search_predicates'",
    )) as unknown as [{ indexes: string[] }];
    expect(indexes).toEqual(
      expect.arrayContaining([
        "saved_search_predicates_area_gix",
        "saved_search_predicates_city_gix",
        "saved_search_predicates_country_gix",
        "saved_search_predicates_price_gix",
      ]),
    );
    // With sequential scans off, the matching statement still plans: every branch has an index to use.
    const [, , rows] = (await getSql(testEnv).transaction((sql) => [
      sql.query("SELECT set_config('enable_seqscan', 'off', true)"),
      sql.query("SELECT set_config('enable_bitmapscan', 'off', true)"),
      sql.query(`EXPLAIN (FORMAT TEXT) ${MATCH_SQL}`, matchParams([crypto.randomUUID()])),
    ])) as unknown as [unknown, unknown, Array<{ "QUERY PLAN": string }>];
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    for (const index of [
      "saved_search_predicates_area_gix",
      "saved_search_predicates_city_gix",
      "saved_search_predicates_country_gix",
      "saved_search_predicates_price_gix",
    ])
      expect(plan).toContain(index);
  });
});
