import { describe, expect, it } from "vitest";
import { call, callWithEnv, expectValidationFailed, unique } from "../../../../test/helpers";
import { insertProperties } from "../../../../test/property-rows";

const expect400 = (query: string, param: string) => expectValidationFailed(`/api/v1/properties?${query}`, param);

describe("GET /api/v1/properties: bad requests are 400s naming the parameter", () => {
  it.each([
    ["bogus=1", "bogus"],
    ["min_price=cheap", "min_price"],
    ["min_price=-1", "min_price"],
    ["min_price=500&max_price=100", "min_price"],
    ["min_bedrooms=2.5", "min_bedrooms"],
    ["min_bedrooms=3&max_bedrooms=2", "min_bedrooms"],
    ["listing_type=lease", "listing_type"],
    ["country=USA", "country"],
    ["currency=pounds", "currency"],
    ["currency=XYZ&min_price=1", "currency"],
    ["property_type=a;drop", "property_type"],
    ["city=", "city"],
    ["q=", "q"],
    ["listed_since=yesterday", "listed_since"],
    ["updated_since=2026-13-45", "updated_since"],
    ["year_built_min=12", "year_built_min"],
    ["near=91,0", "near"],
    ["near=abc", "near"],
    ["radius_km=5", "radius_km"],
    ["near=1,1&radius_km=101", "radius_km"],
    ["near=1,1&radius_km=0", "radius_km"],
    ["bbox=1,2,3", "bbox"],
    ["bbox=10,0,5,1", "bbox"],
    ["bbox=0,0,1,95", "bbox"],
    ["polygon=1,1;2,2", "polygon"],
    ["polygon=%7B%22type%22%3A%22Point%22%7D", "polygon"],
    ["polygon=not-json-or-pairs", "polygon"],
    ["sort=cheapest", "sort"],
    ["sort=distance", "sort"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["offset=-1", "offset"],
    ["offset=9990&limit=20", "offset"],
    ["count=yes", "count"],
    ["fields=id,secret", "fields"],
    ["cursor=garbage", "cursor"],
    ["cursor=abc&offset=20", "offset"],
    ["min_price=1&min_price=2", "min_price"],
  ])("%s", async (query, param) => {
    await expect400(query, param);
  });

  it("tells to use the cursor beyond the offset window", async () => {
    const body = await expect400("offset=10000&limit=1", "offset");
    expect(body.error.message).toMatch(/cursor/);
  });

  it("rejects a polygon with more than 200 vertices", async () => {
    const pairs = Array.from({ length: 201 }, (_, i) => {
      const a = (2 * Math.PI * i) / 201;
      return `${(Math.sin(a) * 0.1).toFixed(5)},${(Math.cos(a) * 0.1).toFixed(5)}`;
    }).join(";");
    const body = await expect400(`polygon=${encodeURIComponent(pairs)}`, "polygon");
    expect(body.error.message).toMatch(/200/);
  });

  it("rejects a cursor from another query", async () => {
    const city = unique("Errville");
    await insertProperties([{ city }, { city }]);
    const res = await call(`/api/v1/properties?city=${city}&limit=1`);
    const { pagination } = (await res.json()) as { pagination: { next_cursor: string } };
    expect(pagination.next_cursor).toBeTruthy();
    const cursor = encodeURIComponent(pagination.next_cursor);
    await expect400(`city=${city}&limit=1&min_price=1&cursor=${cursor}`, "cursor");
    await expect400(`city=${city}&limit=1&sort=price&cursor=${cursor}`, "cursor");
    // Same filters with another page size are fine.
    expect((await call(`/api/v1/properties?city=${city}&limit=5&cursor=${cursor}`)).status).toBe(200);
  });

  it("is 503 with the envelope when the database is unreachable", async () => {
    const res = await callWithEnv(`/api/v1/properties?city=${unique("x")}`, {
      DATABASE_URL: "postgres://nobody@127.0.0.1:9/none",
      UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9",
    });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { success: boolean; error: { code: string } };
    expect(body).toMatchObject({ success: false, error: { code: "SERVICE_UNAVAILABLE" } });
  });
});
