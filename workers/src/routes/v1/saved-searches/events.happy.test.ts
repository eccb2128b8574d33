import { describe, expect, it } from "vitest";
import { testEnv } from "../../../../test/helpers";
import { postJson, sampleItem } from "../../../../test/listings";
import { getSql } from "../../../pkg/db";
import { ListDeliveriesResponseSchema } from "./deliveries";
import { ListEventsResponseSchema } from "./events";
import { createSavedSearch, jsonCall, userAuth } from "./test-helpers";

describe("GET /api/v1/saved-searches/{id}/events and /deliveries", () => {
  it("pages events newest first with a cursor, and reading the first page clears the unread count", async () => {
    const auth = await userAuth();
    const search = await createSavedSearch(auth, { webhook_url: "https://hooks.example.com/x" });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await postJson("/api/v1/properties", sampleItem());
      ids.push(((await res.json()) as { data: { id: string } }).data.id);
    }
    // Events written as matching writes them (the listings are in Surry Hills, not Hobart).
    await getSql(testEnv).query(
      `INSERT INTO saved_search_events (saved_search_ids, property_id, kind, change_version)
       SELECT ARRAY[$1::uuid], unnest($2::uuid[]), 'new_match', 0`,
      [search.id, ids],
    );
    const before = await (await jsonCall(`/api/v1/saved-searches/${search.id}`, "GET", auth)).json();
    expect(before).toMatchObject({ data: { unread_count: 5 } });

    const first = ListEventsResponseSchema.parse(
      await (await jsonCall(`/api/v1/saved-searches/${search.id}/events?limit=2`, "GET", auth)).json(),
    );
    expect(first.data).toHaveLength(2);
    const seen = [...first.data];
    let cursor = first.pagination.next_cursor;
    while (cursor) {
      const page = ListEventsResponseSchema.parse(
        await (await jsonCall(`/api/v1/saved-searches/${search.id}/events?limit=2&cursor=${cursor}`, "GET", auth)).json(),
      );
      seen.push(...page.data);
      cursor = page.pagination.next_cursor;
    }
    expect(seen.map((e) => Number(e.id))).toEqual([...seen.map((e) => Number(e.id))].sort((a, b) => b - a));
    expect(new Set(seen.map((e) => e.property_id))).toEqual(new Set(ids));
    expect(seen[0]?.property).toMatchObject({ city: "Surry Hills", country: "AU", currency: "AUD", status: "active" });
    const after = await (await jsonCall(`/api/v1/saved-searches/${search.id}`, "GET", auth)).json();
    expect(after).toMatchObject({ data: { unread_count: 0 } });

    const deliveries = ListDeliveriesResponseSchema.parse(
      await (await jsonCall(`/api/v1/saved-searches/${search.id}/deliveries`, "GET", auth)).json(),
    );
    expect(deliveries.data).toEqual([]);
  });

  it("is 400 for a cursor it did not issue and for a limit out of range", async () => {
    const auth = await userAuth();
    const search = await createSavedSearch(auth);
    for (const q of ["cursor=bm9wZQ", "cursor=%%%", "limit=0", "limit=101", "other=1"]) {
      const res = await jsonCall(`/api/v1/saved-searches/${search.id}/events?${q}`, "GET", auth);
      expect(res.status, q).toBe(400);
    }
    expect((await jsonCall(`/api/v1/saved-searches/${search.id}/deliveries?limit=500`, "GET", auth)).status).toBe(400);
  });

  it("retrying a delivery that is still pending is 409; an unknown delivery is 404", async () => {
    const auth = await userAuth();
    const search = await createSavedSearch(auth, { webhook_url: "https://hooks.example.com/x" });
    const res = await postJson("/api/v1/properties", sampleItem());
    const propertyId = ((await res.json()) as { data: { id: string } }).data.id;
    const [row] = (await getSql(testEnv).query(
      `WITH e AS (INSERT INTO saved_search_events (saved_search_ids, property_id, kind, change_version)
                  VALUES (ARRAY[$1::uuid], $2, 'new_match', 0) RETURNING id)
       INSERT INTO webhook_deliveries (saved_search_id, event_id) SELECT $1, e.id FROM e RETURNING id`,
      [search.id, propertyId],
    )) as unknown as Array<{ id: string }>;
    const pending = await jsonCall(`/api/v1/saved-searches/${search.id}/deliveries/${row!.id}/retry`, "POST", auth);
    expect(pending.status).toBe(409);
    const unknown = await jsonCall(`/api/v1/saved-searches/${search.id}/deliveries/${crypto.randomUUID()}/retry`, "POST", auth);
    expect(unknown.status).toBe(404);
  });
});
