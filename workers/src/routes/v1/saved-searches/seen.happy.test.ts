import { describe, expect, it } from "vitest";
import { testEnv } from "../../../../test/helpers";
import { postJson, sampleItem } from "../../../../test/listings";
import { getSql } from "../../../pkg/db";
import { ListSavedSearchesResponseSchema } from "./list";
import { MarkSeenResponseSchema } from "./seen";
import { createSavedSearch, jsonCall, userAuth } from "./test-helpers";

async function recordEvents(savedSearchId: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await postJson("/api/v1/properties", sampleItem());
    ids.push(((await res.json()) as { data: { id: string } }).data.id);
  }
  // Events written as matching writes them (the listings are in Surry Hills, not in the searches' towns).
  await getSql(testEnv).query(
    `INSERT INTO saved_search_events (saved_search_ids, property_id, kind, change_version)
     SELECT ARRAY[$1::uuid], unnest($2::uuid[]), 'new_match', 0`,
    [savedSearchId, ids],
  );
}

describe("POST /api/v1/saved-searches/{id}/seen", () => {
  it("marks one search's events read, leaves the others' unread, and counts events recorded after it", async () => {
    const auth = await userAuth();
    const first = await createSavedSearch(auth, { name: "first" });
    const second = await createSavedSearch(auth, { name: "second", query: "city=Perth" });
    await recordEvents(first.id, 2);
    await recordEvents(second.id, 3);

    const res = await jsonCall(`/api/v1/saved-searches/${first.id}/seen`, "POST", auth);
    expect(res.status).toBe(200);
    const seen = MarkSeenResponseSchema.parse(await res.json());
    expect(seen.data).toMatchObject({ id: first.id, name: "first", unread_count: 0 });
    expect(seen.data).not.toHaveProperty("webhook_secret");

    const list = ListSavedSearchesResponseSchema.parse(await (await jsonCall("/api/v1/saved-searches", "GET", auth)).json());
    expect(Object.fromEntries(list.data.map((s) => [s.name, s.unread_count]))).toEqual({ first: 0, second: 3 });

    await recordEvents(first.id, 1);
    const after = await (await jsonCall(`/api/v1/saved-searches/${first.id}`, "GET", auth)).json();
    expect(after).toMatchObject({ data: { unread_count: 1 } });
  });
});
