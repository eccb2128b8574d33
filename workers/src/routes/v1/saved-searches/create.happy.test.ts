import { describe, expect, it } from "vitest";
import { testEnv } from "../../../../test/helpers";
import { getSql } from "../../../pkg/db";
import { CreateSavedSearchResponseSchema } from "./create";
import { ListSavedSearchesResponseSchema } from "./list";
import { createSavedSearch, jsonCall, userAuth } from "./test-helpers";

describe("POST /api/v1/saved-searches", () => {
  it("saves the search, normalised, and shows a whsec_ secret once", async () => {
    const auth = await userAuth();
    const res = await jsonCall("/api/v1/saved-searches", "POST", auth, {
      name: "Hobart under 900k",
      query: "max_price=900000&city=Hobart&sort=price&limit=5",
      events: ["new_match", "price_drop", "new_match"],
      webhook_url: "https://hooks.example.com/pillow",
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { data } = CreateSavedSearchResponseSchema.parse(await res.json());
    expect(data).toMatchObject({
      name: "Hobart under 900k",
      query: "city=Hobart&max_price=900000",
      events: ["new_match", "price_drop"],
      webhook_url: "https://hooks.example.com/pillow",
      webhook_enabled: true,
      paused: false,
      unread_count: 0,
    });
    expect(data.webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(res.headers.get("cache-control")).toBe("no-store");

    const listed = await jsonCall("/api/v1/saved-searches", "GET", auth);
    const text = await listed.text();
    expect(text).not.toContain(data.webhook_secret);
    expect(ListSavedSearchesResponseSchema.parse(JSON.parse(text)).data.map((s) => s.id)).toEqual([data.id]);
    const got = await jsonCall(`/api/v1/saved-searches/${data.id}`, "GET", auth);
    expect(await got.text()).not.toContain(data.webhook_secret);
  });

  it("has no secret without a webhook, and indexes the search for matching (city anchor, price range)", async () => {
    const auth = await userAuth();
    const created = await createSavedSearch(auth, { query: "city=Hobart,Launceston&max_price=900000&min_bedrooms=2" });
    expect(created.webhook_secret).toBeNull();
    const rows = (await getSql(testEnv).query(
      "SELECT anchor, city_key, max_price_minor::float8 AS max, min_bedrooms, statuses, exact FROM saved_search_predicates WHERE saved_search_id = $1 ORDER BY city_key",
      [created.id],
    )) as unknown as Array<Record<string, unknown>>;
    // Every filter it has is a column of its rows: the rows decide it (exact).
    const common = { max: 90_000_000, min_bedrooms: 2, statuses: ["active"], exact: true };
    expect(rows).toEqual([
      { anchor: "city", city_key: "hobart", ...common },
      { anchor: "city", city_key: "launceston", ...common },
    ]);
  });

  it("marks a search with a filter no predicate row holds as one its own filter confirms", async () => {
    const auth = await userAuth();
    const created = await createSavedSearch(auth, { query: "city=Hobart&features=garage" });
    const rows = (await getSql(testEnv).query("SELECT exact FROM saved_search_predicates WHERE saved_search_id = $1", [
      created.id,
    ])) as unknown as Array<{ exact: boolean }>;
    expect(rows).toEqual([{ exact: false }]);
  });

  it("indexes a radius search by its area", async () => {
    const auth = await userAuth();
    const created = await createSavedSearch(auth, { query: "near=-42.88,147.33&radius_km=5" });
    const [row] = (await getSql(testEnv).query(
      "SELECT anchor, ST_Contains(area, ST_SetSRID(ST_MakePoint(147.33, -42.88), 4326)) AS inside, ST_XMax(area) - ST_XMin(area) AS width FROM saved_search_predicates WHERE saved_search_id = $1",
      [created.id],
    )) as unknown as Array<{ anchor: string; inside: boolean; width: number }>;
    expect(row).toMatchObject({ anchor: "geo", inside: true });
    // 5 km at 42.9° S is about 0.061° of longitude either side.
    expect(row?.width).toBeGreaterThan(0.11);
    expect(row?.width).toBeLessThan(0.13);
  });

  it("refuses the 51st saved search of an account with 422, and lets another account save", async () => {
    const auth = await userAuth();
    const first = await createSavedSearch(auth);
    const [{ user_id }] = (await getSql(testEnv).query("SELECT user_id FROM saved_searches WHERE id = $1", [
      first.id,
    ])) as unknown as [{ user_id: string }];
    await getSql(testEnv).query(
      "INSERT INTO saved_searches (user_id, name, query, events) SELECT $1, 'filler ' || g, 'city=Hobart', '{new_match}' FROM generate_series(1, 49) g",
      [user_id],
    );
    const res = await jsonCall("/api/v1/saved-searches", "POST", auth, { name: "one too many", query: "city=Hobart" });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ success: false, error: { code: "UNPROCESSABLE" } });
    expect((await jsonCall("/api/v1/saved-searches", "POST", await userAuth(), { name: "x", query: "city=Hobart" })).status).toBe(
      201,
    );
  });
});
