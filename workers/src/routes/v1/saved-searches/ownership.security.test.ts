import { beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "../../../../test/helpers";
import { postJson, sampleItem } from "../../../../test/listings";
import { getSql } from "../../../pkg/db";
import { type Created, createSavedSearch, jsonCall, userAuth } from "./test-helpers";

/** Every saved-search route, called by user A on user B's saved search: always 404, and B's search is untouched. */
describe("saved searches belong to their owner", () => {
  let a: string;
  let b: string;
  let theirs: Created;
  let deliveryId: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([userAuth(), userAuth()]);
    theirs = await createSavedSearch(b, { webhook_url: "https://hooks.example.com/b" });
    const ingest = await postJson("/api/v1/properties", sampleItem());
    const propertyId = ((await ingest.json()) as { data: { id: string } }).data.id;
    const [row] = (await getSql(testEnv).query(
      `WITH e AS (INSERT INTO saved_search_events (saved_search_ids, property_id, kind, change_version)
                  VALUES (ARRAY[$1::uuid], $2, 'new_match', 0) RETURNING id)
       INSERT INTO webhook_deliveries (saved_search_id, event_id, status) SELECT $1, e.id, 'failed' FROM e RETURNING id`,
      [theirs.id, propertyId],
    )) as unknown as Array<{ id: string }>;
    deliveryId = row!.id;
  });

  const routes: Array<[string, string, () => string, unknown?]> = [
    ["GET", "get", () => `/api/v1/saved-searches/${theirs.id}`],
    ["PATCH", "update", () => `/api/v1/saved-searches/${theirs.id}`, { name: "hijacked", query: "city=Perth" }],
    ["DELETE", "delete", () => `/api/v1/saved-searches/${theirs.id}`],
    ["POST", "rotate-secret", () => `/api/v1/saved-searches/${theirs.id}/rotate-secret`],
    ["GET", "events", () => `/api/v1/saved-searches/${theirs.id}/events`],
    ["POST", "seen", () => `/api/v1/saved-searches/${theirs.id}/seen`],
    ["GET", "deliveries", () => `/api/v1/saved-searches/${theirs.id}/deliveries`],
    ["POST", "retry-delivery", () => `/api/v1/saved-searches/${theirs.id}/deliveries/${deliveryId}/retry`],
  ];

  it.each(routes)("%s (%s) on another user's saved search is 404", async (method, _, path, body) => {
    const res = await jsonCall(path(), method, a, body);
    expect(res.status, await res.clone().text()).toBe(404);
    expect(await res.json()).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
  });

  it("a's own saved search id with b's delivery id is 404 too", async () => {
    const mine = await createSavedSearch(a);
    const res = await jsonCall(`/api/v1/saved-searches/${mine.id}/deliveries/${deliveryId}/retry`, "POST", a);
    expect(res.status).toBe(404);
  });

  it("after all that, b's search, its predicates, secret, delivery and unread count are unchanged, and a's list never shows it", async () => {
    const [row] = (await getSql(testEnv).query(
      `SELECT s.name, s.query, s.webhook_secret, (SELECT count(*)::int FROM saved_search_predicates WHERE saved_search_id = s.id) AS predicates,
              (SELECT city_key FROM saved_search_predicates WHERE saved_search_id = s.id LIMIT 1) AS city,
              (SELECT status FROM webhook_deliveries WHERE id = $2) AS delivery,
              (SELECT count(*)::int FROM saved_search_events e WHERE e.saved_search_ids @> ARRAY[s.id] AND e.created_at > s.read_at) AS unread
       FROM saved_searches s WHERE s.id = $1`,
      [theirs.id, deliveryId],
    )) as unknown as Array<Record<string, unknown>>;
    expect(row).toEqual({
      name: theirs.name,
      query: theirs.query,
      webhook_secret: theirs.webhook_secret,
      predicates: 1,
      city: "hobart",
      delivery: "failed",
      unread: 1,
    });
    const list = (await (await jsonCall("/api/v1/saved-searches", "GET", a)).json()) as { data: Array<{ id: string }> };
    expect(list.data.map((s) => s.id)).not.toContain(theirs.id);
  });
});
