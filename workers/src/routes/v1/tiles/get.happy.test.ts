import { beforeAll, describe, expect, it } from "vitest";
import { call, unique } from "../../../../test/helpers";
import { insertProperties, type PropertyRow, search } from "../../../../test/property-rows";
import { decodeTile, type Feature, getTile, tileOf } from "./tile-test-helpers";

const count = (fs: Feature[] | undefined) => (fs ?? []).reduce((s, f) => s + Number(f.props.count), 0);

describe("GET /api/v1/tiles/{z}/{x}/{y}.mvt", () => {
  const city = unique("Tileton");
  const c = `city=${encodeURIComponent(city)}`;
  // A small town near (-41.29, 174.78) and two outliers; expectations are worked out from these rows.
  const base: PropertyRow = { city, country: "NZ", currency: "NZD", property_type: "house", lat: -41.29, lng: 174.78 };
  const rows: Record<string, PropertyRow> = {
    h1: { price: 500000, lat: -41.2901, lng: 174.7801 },
    h2: { price: 700000, lat: -41.2902, lng: 174.7802 },
    h3: { price: 900000, lat: -41.2903, lng: 174.7803 },
    flat: { price: 400000, property_type: "apartment", lat: -41.2904, lng: 174.7804 },
    sold: { price: 650000, status: "sold", lat: -41.2905, lng: 174.7805 },
    dear: { price: 3000000, lat: -41.2906, lng: 174.7806 },
    far: { price: 600000, lat: -36.85, lng: 174.76 },
    // Exactly on the equator and the prime meridian: the corner of four z1 tiles.
    corner: { price: 100000, lat: 0, lng: 0 },
  };
  const id: Record<string, string> = {};

  beforeAll(async () => {
    const names = Object.keys(rows);
    const ids = await insertProperties(names.map((n) => ({ ...base, ...rows[n] })));
    names.forEach((n, i) => {
      id[n] = ids[i] as string;
    });
  });

  it("draws one point per property above the cluster zoom, with id, price, currency and type", async () => {
    const t = tileOf(-41.29, 174.78, 15);
    const tile = await getTile(t.z, t.x, t.y, c);
    expect(Object.keys(tile)).toEqual(["properties"]);
    const byId = new Map(tile.properties?.map((f) => [f.props.id, f.props]));
    expect([...byId.keys()].sort()).toEqual([id.h1, id.h2, id.h3, id.flat, id.dear].sort());
    expect(byId.get(id.h1)).toEqual({ id: id.h1, price: 500000, currency: "NZD", type: "house", approximate: false });
    expect(byId.get(id.flat)?.type).toBe("apartment");
    for (const f of tile.properties ?? []) {
      expect(f.x).toBeGreaterThanOrEqual(0);
      expect(f.x).toBeLessThan(4096);
      expect(f.y).toBeGreaterThanOrEqual(0);
      expect(f.y).toBeLessThan(4096);
    }
  });

  it("applies the search's filters: a property outside them never appears", async () => {
    const t = tileOf(-41.29, 174.78, 15);
    const cheap = await getTile(t.z, t.x, t.y, `${c}&max_price=800000&property_type=house`);
    expect(cheap.properties?.map((f) => f.props.id).sort()).toEqual([id.h1, id.h2].sort());
    const withSold = await getTile(t.z, t.x, t.y, `${c}&status=active,sold`);
    expect(withSold.properties?.map((f) => f.props.id)).toContain(id.sold);
    // The same filters at cluster zooms: only the two cheap houses are counted.
    const z5 = tileOf(-41.29, 174.78, 5);
    const clusters = await getTile(z5.z, z5.x, z5.y, `${c}&max_price=800000&property_type=house`);
    expect(count(clusters.clusters)).toBe(2);
    // Another city's filter sees none of these rows.
    const other = await getTile(t.z, t.x, t.y, `city=${encodeURIComponent(unique("Elsewhere"))}`);
    expect(other).toEqual({});
  });

  it("clusters below the threshold: counts add up to the search's total, medians per currency", async () => {
    const { pagination } = await search(`${c}&count=true&limit=1`);
    expect(pagination.total).toBe(7);
    const world = await getTile(0, 0, 0, c);
    expect(Object.keys(world)).toEqual(["clusters"]);
    expect(count(world.clusters)).toBe(pagination.total);
    // At z1 the corner property sits on four tiles' shared corner: it is counted in exactly one.
    let z1 = 0;
    for (const [x, y] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]) {
      z1 += count((await getTile(1, x as number, y as number, c)).clusters);
    }
    expect(z1).toBe(pagination.total);
    // At z10 the town is one cell: 5 active properties, median of 400k/500k/700k/900k/3M.
    const t = tileOf(-41.29, 174.78, 10);
    const town = await getTile(t.z, t.x, t.y, c);
    expect(town.clusters).toHaveLength(1);
    expect(town.clusters?.[0]?.props).toMatchObject({ count: 5, currency: "NZD", median_price: 700000 });
    expect(town.clusters?.[0]?.props.id).toBeUndefined();
    // A cell of one property carries what a pin needs.
    const f = tileOf(-36.85, 174.76, 10);
    const single = await getTile(f.z, f.x, f.y, c);
    expect(single.clusters?.[0]?.props).toMatchObject({ count: 1, id: id.far, price: 600000, type: "house", currency: "NZD" });
  });

  it("has an ETag and answers 304 to it, and carries a list search's query string as it is", async () => {
    const t = tileOf(-41.29, 174.78, 15);
    const first = await call(`/api/v1/tiles/${t.z}/${t.x}/${t.y}.mvt?${c}`);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get("cache-control")).toBe("public, no-cache");
    const again = await call(`/api/v1/tiles/${t.z}/${t.x}/${t.y}.mvt?${c}`, { headers: { "If-None-Match": etag as string } });
    expect(again.status).toBe(304);
    const paged = await call(`/api/v1/tiles/${t.z}/${t.x}/${t.y}.mvt?${c}&sort=price&limit=5&count=true`);
    expect(paged.headers.get("etag")).toBe(etag);
    expect(decodeTile(await paged.arrayBuffer()).properties).toHaveLength(5);
  });

  it("answers an empty tile where nothing matches", async () => {
    const res = await call(`/api/v1/tiles/3/0/0.mvt?${c}`);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });
});
