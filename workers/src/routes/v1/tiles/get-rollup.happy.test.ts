/**
 * Cluster tiles read from the `tile_cells` rollup (migration 0016, workers/src/pkg/search/tile-rollup.ts):
 * filters the rollup has dimensions for, so no city filter: the rows sit in a spot of the open South
 * Pacific drawn anew each run, where no other test writes, and every expectation is worked out from
 * these rows. Writes go straight to the table (as an importer's would), so the triggers are what keep
 * the rollup exact; the data version is bumped by hand after each, as writers do.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "../../../../test/helpers";
import { insertProperties, type PropertyRow, search, sql } from "../../../../test/property-rows";
import { DATA_VERSION_KEY } from "../../../pkg/changes";
import { getRedis } from "../../../pkg/redis";
import { type FilterQuery, parseFilters } from "../../../pkg/search/params";
import { priceBucket, ROLLUP_MAX_ZOOM, rollupServes } from "../../../pkg/search/tile-rollup";
import { type Feature, getTile, tileOf } from "./tile-test-helpers";

type Row = Required<Pick<PropertyRow, "price" | "status" | "listing_type" | "property_type" | "country" | "currency">> & {
  lat: number;
  lng: number;
};

const lat0 = -44 + Math.random() * 4;
const lng0 = -128 + Math.random() * 3;

const PRICES = [null, 120000, 500000, 505000, 510000, 515000, 520000, 530000, 750000, 2000000];
const STATUSES = ["active", "active", "sold", "pending"];
const TYPES = ["house", "apartment", "townhouse"];

function makeRows(): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < 80; i++) {
    const nz = i % 3 !== 0;
    rows.push({
      lat: lat0 + (((i * 7) % 13) - 6) * 0.045,
      lng: lng0 + (((i * 5) % 11) - 5) * 0.06,
      price: PRICES[i % PRICES.length] as number | null,
      status: STATUSES[i % STATUSES.length] as string,
      listing_type: i % 5 === 0 ? "rent" : "sale",
      property_type: TYPES[i % TYPES.length] as string,
      country: nz ? "NZ" : "US",
      currency: nz ? "NZD" : "USD",
    });
  }
  // A town of five houses at one spot (for the median) and a lone house far from everything.
  for (const price of [400000, 500000, 700000, 900000, 3000000]) {
    rows.push({
      lat: lat0 - 2.5,
      lng: lng0,
      price,
      status: "active",
      listing_type: "sale",
      property_type: "house",
      country: "NZ",
      currency: "NZD",
    });
  }
  rows.push({
    lat: lat0 + 2.5,
    lng: lng0 + 1,
    price: 610000,
    status: "active",
    listing_type: "sale",
    property_type: "house",
    country: "NZ",
    currency: "NZD",
  });
  return rows;
}

/** What a query string selects, by the API's own rules (whole units; status defaults to active). */
function matches(row: Row, query: string): boolean {
  const q = new URLSearchParams(query);
  const list = (k: string) => q.get(k)?.split(",");
  if (!(list("status") ?? ["active"]).includes(row.status)) return false;
  if (list("property_type") && !list("property_type")?.includes(row.property_type)) return false;
  if (list("listing_type") && !list("listing_type")?.includes(row.listing_type)) return false;
  if (list("country") && !list("country")?.includes(row.country)) return false;
  if (q.has("min_price") && (row.price === null || row.price < Number(q.get("min_price")))) return false;
  if (q.has("max_price") && (row.price === null || row.price > Number(q.get("max_price")))) return false;
  return true;
}

const count = (fs: Feature[] | undefined) => (fs ?? []).reduce((s, f) => s + Number(f.props.count), 0);

/** The sum of the cluster counts over every tile of a zoom that holds one of the rows. */
async function tileTotal(rows: Row[], z: number, query: string): Promise<number> {
  const tiles = new Map(rows.map((r) => tileOf(r.lat, r.lng, z)).map((t) => [`${t.x}/${t.y}`, t]));
  let total = 0;
  for (const t of tiles.values()) {
    const tile = await getTile(z, t.x, t.y, query);
    expect(tile.properties).toBeUndefined();
    total += count(tile.clusters);
  }
  return total;
}

/** The search's total over the area of the rows (a bbox: only this file writes there). */
async function searchTotal(rows: Row[], query: string): Promise<number> {
  const lats = rows.map((r) => r.lat);
  const lngs = rows.map((r) => r.lng);
  const bbox = [Math.min(...lngs) - 0.01, Math.min(...lats) - 0.01, Math.max(...lngs) + 0.01, Math.max(...lats) + 0.01].join(",");
  const { pagination } = await search(`${query}${query ? "&" : ""}bbox=${bbox}&count=true&limit=1`);
  return pagination.total as number;
}

// Price bounds inside a bucket (505k … 530k share one; 515k splits it), across buckets, and both in one.
const QUERIES = [
  "",
  "status=active,sold",
  "property_type=apartment",
  "listing_type=rent&status=active,sold,pending",
  "country=US",
  "min_price=515000",
  "max_price=515000",
  "min_price=505000&max_price=525000",
  "min_price=300000&max_price=800000",
  "min_price=515000&property_type=house,townhouse&status=active,sold",
];

async function bumpDataVersion() {
  await getRedis(testEnv).incr(DATA_VERSION_KEY);
}

describe("cluster tiles from the rollup", () => {
  const rows = makeRows();
  let ids: string[] = [];

  beforeAll(async () => {
    ids = await insertProperties(rows.map((r) => ({ ...r, city: "Rollup Sound" })));
    await bumpDataVersion();
  });

  it("answers these filters from the rollup up to its zoom, and the rest from the rows", () => {
    const f = (q: string) => parseFilters(Object.fromEntries(new URLSearchParams(q)) as unknown as FilterQuery);
    for (const q of QUERIES) expect(rollupServes(f(q), ROLLUP_MAX_ZOOM), q).toBe(true);
    expect(rollupServes(f(""), ROLLUP_MAX_ZOOM + 1)).toBe(false);
    for (const q of ["city=Seattle", "q=garden", "min_bedrooms=2", "bbox=1,1,2,2", "near=1,1", "source=a.example"]) {
      expect(rollupServes(f(q), 5), q).toBe(false);
    }
    // 515k splits the bucket of 505k … 530k (the test's point), as SQL computes the buckets.
    const b = priceBucket(51_500_000);
    expect([50_500_000, 53_000_000].map(priceBucket)).toEqual([b, b]);
    expect(priceBucket(50_000_000)).toBe(b - 1);
  });

  it("computes price buckets in JavaScript exactly as SQL does", async () => {
    const prices = [0, 1, 7, 8, 15, 16, 17, 1023, 1024, 1025, 51_500_000, 2 ** 40 - 1, 2 ** 40, 2 ** 52 + 1];
    const [row] = await sql<{ buckets: number[]; lows: string[] }>(
      `SELECT array_agg(tile_price_bucket(p) ORDER BY o) AS buckets, array_agg(tile_price_bucket_low(tile_price_bucket(p)) ORDER BY o) AS lows
         FROM unnest($1::bigint[]) WITH ORDINALITY AS u(p, o)`,
      [prices],
    );
    expect(row?.buckets).toEqual(prices.map(priceBucket));
    // Each price is at or above its bucket's lowest price and below the next bucket's.
    const [edges] = await sql<{ ok: boolean }>(
      `SELECT bool_and(tile_price_bucket_low(tile_price_bucket(p)) <= p AND p < tile_price_bucket_low(tile_price_bucket(p) + 1)) AS ok
         FROM generate_series(1, 100000) AS p`,
    );
    expect(edges?.ok).toBe(true);
  });

  it("counts add up to the search's total at z5 and z10, for each filter set", async () => {
    for (const q of QUERIES) {
      const expected = rows.filter((r) => matches(r, q)).length;
      expect(await searchTotal(rows, q), q).toBe(expected);
      expect(await tileTotal(rows, 5, q), `z5 ${q}`).toBe(expected);
      expect(await tileTotal(rows, 10, q), `z10 ${q}`).toBe(expected);
    }
  });

  it("stays exact after the changes are folded in, and through updates and deletes", async () => {
    const [folded] = await sql<{ n: number }>("SELECT tile_cells_fold() AS n");
    expect(folded?.n).toBeGreaterThan(0);
    for (const q of QUERIES.slice(0, 6)) {
      expect(await tileTotal(rows, 10, q), `folded z10 ${q}`).toBe(rows.filter((r) => matches(r, q)).length);
    }
    // A price across buckets, a move, a status change (one statement each), and a delete.
    await sql("UPDATE properties SET price_minor = 52000000 WHERE id = $1", [ids[2]]);
    (rows[2] as Row).price = 520000;
    await sql("UPDATE properties SET location = ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography WHERE id = $1", [
      ids[3],
      lng0 + 0.9,
      lat0 - 0.4,
    ]);
    Object.assign(rows[3] as Row, { lng: lng0 + 0.9, lat: lat0 - 0.4 });
    await sql("UPDATE properties SET status = 'sold', title = 'Sold' WHERE id = ANY($1::uuid[])", [[ids[0], ids[1]]]);
    (rows[0] as Row).status = "sold";
    (rows[1] as Row).status = "sold";
    // An update of nothing the rollup counts leaves no change behind.
    const before = await sql<{ n: number }>("SELECT count(*)::int AS n FROM tile_cell_changes");
    await sql("UPDATE properties SET title = 'Renamed' WHERE id = ANY($1::uuid[])", [ids.slice(10, 20)]);
    expect(await sql<{ n: number }>("SELECT count(*)::int AS n FROM tile_cell_changes")).toEqual(before);
    await sql("DELETE FROM properties WHERE id = $1", [ids[5]]);
    rows.splice(5, 1);
    ids.splice(5, 1);
    await bumpDataVersion();
    for (const q of QUERIES) {
      const expected = rows.filter((r) => matches(r, q)).length;
      expect(await tileTotal(rows, 5, q), `changed z5 ${q}`).toBe(expected);
      expect(await tileTotal(rows, 10, q), `changed z10 ${q}`).toBe(expected);
    }
  });

  it("keeps currencies apart, gives a median within its price bucket, and a lone property's details", async () => {
    const town = tileOf(lat0 - 2.5, lng0, 10);
    const clusters = (await getTile(town.z, town.x, town.y, "property_type=house")).clusters ?? [];
    expect(clusters).toHaveLength(1);
    const median = Number(clusters[0]?.props.median_price);
    // The exact median is 700,000; a bucket is 1/8 of a doubling wide (about 9 %).
    expect(median).toBeGreaterThanOrEqual(700000 / 2 ** (1 / 8));
    expect(median).toBeLessThanOrEqual(700000 * 2 ** (1 / 8));
    expect(clusters[0]?.props).toMatchObject({ count: 5, currency: "NZD" });
    // Within the search's bounds.
    const bounded = (await getTile(town.z, town.x, town.y, "min_price=650000&max_price=710000")).clusters ?? [];
    expect(bounded[0]?.props).toMatchObject({ count: 1, id: ids[rows.length - 4], price: 700000 });

    const lone = tileOf(lat0 + 2.5, lng0 + 1, 10);
    const single = (await getTile(lone.z, lone.x, lone.y)).clusters ?? [];
    expect(single).toHaveLength(1);
    expect(single[0]?.props).toMatchObject({
      count: 1,
      id: ids.at(-1),
      price: 610000,
      type: "house",
      currency: "NZD",
      approximate: false,
    });

    // A z5 tile of the mixed rows holds a cluster per currency, never a median across them.
    const z5 = tileOf(lat0, lng0, 5);
    const mixed = (await getTile(z5.z, z5.x, z5.y, "status=active,sold,pending")).clusters ?? [];
    expect(new Set(mixed.map((f) => f.props.currency))).toEqual(new Set(["NZD", "USD"]));
  });
});
