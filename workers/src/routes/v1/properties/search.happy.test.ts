import { beforeAll, describe, expect, it } from "vitest";
import { unique } from "../../../../test/helpers";
import { insertProperties, type PropertyRow, search, sql } from "../../../../test/property-rows";
import { PropertyListItemSchema, SearchResponseSchema } from "./schema";

const ids = (body: { data: Array<Record<string, unknown>> }) => body.data.map((d) => d.id as string);
const sorted = (xs: string[]) => [...xs].sort();

describe("GET /api/v1/properties: filters", () => {
  const city = unique("Zürich");
  const postal = unique("PC").toUpperCase();
  const c = `city=${encodeURIComponent(city)}`;
  const base: PropertyRow = {
    city,
    postal_code: postal,
    state: "ZH",
    country: "CH",
    currency: "CHF",
    property_type: "apartment",
    bathrooms: 1,
    area_living_sqm: 80,
    area_land_sqm: null,
    year_built: 1990,
  };
  // name → row; expectations below are worked out by hand from these values.
  const rows: Record<string, PropertyRow> = {
    a1: { price: 350000, bedrooms: 2, features: ["garage"], listed_at: "2026-03-01T00:00:00Z", title: "Sunny loft" },
    a2: { price: 650000, bedrooms: 3, listed_at: "2026-03-02T00:00:00Z", description: "Lake view and a quiet garden" },
    a3: {
      property_type: "house",
      price: 400000,
      bedrooms: 3,
      bathrooms: 2.5,
      area_living_sqm: 150,
      area_land_sqm: 500,
      year_built: 2010,
      features: ["garage", "pool"],
      listed_at: "2026-03-03T00:00:00Z",
    },
    a4: { listing_type: "rent", price: 2500, bedrooms: 1, listed_at: "2026-03-04T00:00:00Z", state: "BE" },
    a5: { status: "sold", price: 450000, bedrooms: 2, listed_at: "2026-03-05T00:00:00Z" },
    a6: { price: 500000, bedrooms: null, listed_at: "2026-03-06T00:00:00Z", updated_at: "2026-06-01T00:00:00Z" },
    a7: { price: null, bedrooms: 4, listed_at: "2026-03-07T00:00:00Z", street: "Bahnhofstrasse 1" },
    a8: { price: 550000, bedrooms: 3, listed_at: "2026-03-08T00:00:00Z", country: "LI" },
  };
  const id: Record<string, string> = {};
  const ofNames = (...names: string[]) => sorted(names.map((n) => id[n] as string));

  beforeAll(async () => {
    const names = Object.keys(rows);
    const inserted = await insertProperties(names.map((n) => ({ ...base, ...rows[n] })));
    names.forEach((n, i) => {
      id[n] = inserted[i] as string;
    });
    await sql(
      `INSERT INTO property_sources (property_id, source, source_listing_id, source_url, payload_hash)
       VALUES ($1, 'homegate-test', 'x1', 'https://example.test/x1', 'h'), ($2, 'other-test', 'x2', 'https://example.test/x2', 'h')`,
      [id.a1, id.a3],
    );
  });

  it("defaults to active listings, newest first, with the item shape", async () => {
    const body = await search(c);
    SearchResponseSchema.parse(body);
    expect(ids(body)).toEqual(["a8", "a7", "a6", "a4", "a3", "a2", "a1"].map((n) => id[n]));
    const a1 = body.data.find((d) => d.id === id.a1);
    expect(PropertyListItemSchema.strict().parse(a1)).toMatchObject({
      title: "Sunny loft",
      property_type: "apartment",
      listing_type: "sale",
      status: "active",
      price: 350000,
      currency: "CHF",
      price_per_sqm: 4375,
      bedrooms: 2,
      address: { city, postal_code: postal, country: "CH", state: "ZH" },
      location: null,
      listed_at: "2026-03-01T00:00:00.000Z",
      source: { name: "test-source", url: null },
    });
    expect(a1).not.toHaveProperty("distance_km");
  });

  it("combines type, status, price, bedroom, city and postcode filters in one search", async () => {
    const body = await search(
      `property_type=apartment&status=active&min_price=300000&max_price=600000&min_bedrooms=2&${c}&postal_code=${postal}&limit=50`,
    );
    // a2 is over max_price, a3 a house, a4 a rental under min_price, a5 sold, a6 has unknown bedrooms, a7 no price.
    expect(ids(body)).toEqual([id.a8, id.a1]);
  });

  it.each([
    ["property_type=house", ["a3"]],
    ["property_type=house,apartment&listing_type=rent", ["a4"]],
    ["listing_type=sale", ["a1", "a2", "a3", "a6", "a7", "a8"]],
    ["status=sold", ["a5"]],
    ["status=active,sold&min_price=450000&max_price=450000", ["a5"]],
    ["min_price=400000", ["a2", "a3", "a6", "a8"]],
    ["max_price=400000", ["a1", "a3", "a4"]],
    ["min_price=2500.00&max_price=2500", ["a4"]],
    ["min_bedrooms=2", ["a1", "a2", "a3", "a7", "a8"]],
    ["max_bedrooms=2", ["a1", "a4"]],
    ["min_bedrooms=3&max_bedrooms=3", ["a2", "a3", "a8"]],
    ["min_bathrooms=2", ["a3"]],
    ["min_area=100", ["a3"]],
    ["max_area=100", ["a1", "a2", "a4", "a6", "a7", "a8"]],
    ["min_land_area=400", ["a3"]],
    ["year_built_min=2000", ["a3"]],
    ["year_built_max=2000", ["a1", "a2", "a4", "a6", "a7", "a8"]],
    ["state=be", ["a4"]],
    [`postal_code=${postal.toLowerCase()},NOPE`, ["a1", "a2", "a3", "a4", "a6", "a7", "a8"]],
    ["country=li", ["a8"]],
    ["country=CH,LI&property_type=house", ["a3"]],
    ["features=garage", ["a1", "a3"]],
    ["features=garage,pool", ["a3"]],
    ["source=homegate-test", ["a1"]],
    ["source=homegate-test,other-test", ["a1", "a3"]],
    ["source=HomeGate-Test", ["a1"]],
    ["q=sunny", ["a1"]],
    ["q=garden%20LAKE", ["a2"]],
    ["q=bahnhofstrasse", ["a7"]],
    ["q=lake%20nothing", []],
    ["listed_since=2026-03-07", ["a7", "a8"]],
    ["listed_since=2026-03-06T12:00:00Z", ["a7", "a8"]],
    ["updated_since=2026-05-01", ["a6"]],
  ])("%s", async (query, expected) => {
    const body = await search(`${c}&${query}`);
    expect(sorted(ids(body))).toEqual(ofNames(...expected));
  });

  it("reads min_price/max_price in whole units of the search's `currency`, or of its one country's", async () => {
    // Prices as the sources state them: a Tokyo flat at ¥55,000,000, a London flat at £500,000, a Kuwait
    // flat at KWD 150,000.500 (fils: three digits) — stored as 55,000,000 yen, 50,000,000 pence, 150,000,500 fils.
    const town = unique("Moneytown");
    const [jp, gb, kw] = await insertProperties([
      { city: town, country: "JP", currency: "JPY", price: 55_000_000 },
      { city: town, country: "GB", currency: "GBP", price: 500_000 },
      { city: town, country: "KW", currency: "KWD", price: 150_000.5 },
    ]);
    const found = async (q: string) => sorted(ids(await search(`city=${town}&${q}`)));
    // The yen listing is over ¥40,000,000 (a fixed ×100 made that 4,000,000,000 "cents": not found).
    expect(await found("currency=JPY&min_price=40000000")).toEqual([jp]);
    expect(await found("currency=jpy&max_price=49999999")).toEqual([]);
    expect(await found("currency=JPY&min_price=55000000&max_price=55000000")).toEqual([jp]);
    // The pound listing is £500,000 and not £499,999.99 or less; the currency filter keeps it alone.
    expect(await found("currency=GBP&min_price=500000&max_price=500000")).toEqual([gb]);
    expect(await found("currency=GBP&max_price=499999.99")).toEqual([]);
    expect(await found("currency=GBP")).toEqual([gb]);
    expect(await found("currency=KWD&min_price=150000.5&max_price=150000.5")).toEqual([kw]);
    // Without `currency`, the one country's currency: ¥ for a Japanese search.
    expect(await found("country=JP&min_price=40000000&max_price=60000000")).toEqual([jp]);
    expect(await found("country=GB&min_price=500000&max_price=500000")).toEqual([gb]);
    // With neither, two-decimal units (the pound listing; the others' minor units are not cents).
    expect(await found("min_price=500000&max_price=500000")).toEqual([gb]);
  });

  it("matches the city case- and accent-insensitively", async () => {
    for (const variant of [city.toUpperCase(), city.replace("ü", "u"), city.toLowerCase().replace("ü", "ú")]) {
      const body = await search(`city=${encodeURIComponent(variant)}&status=sold`);
      expect(ids(body)).toEqual([id.a5]);
    }
    const two = await search(`city=${encodeURIComponent(city)},Nowhere-${postal}&status=sold`);
    expect(ids(two)).toEqual([id.a5]);
  });

  it("returns only the requested fields", async () => {
    const body = await search(`${c}&fields=id,price,address&limit=1`);
    expect(body.data).toEqual([{ id: id.a8, price: 550000, address: expect.objectContaining({ country: "LI" }) }]);
  });

  it("counts the total and pages by offset", async () => {
    const first = await search(`${c}&count=true&limit=3`);
    expect(first.pagination).toMatchObject({ limit: 3, offset: 0, total: 7 });
    const second = await search(`${c}&limit=3&offset=3`);
    expect(ids(second)).toEqual(["a4", "a3", "a2"].map((n) => id[n]));
    const last = await search(`${c}&limit=3&offset=6`);
    expect(ids(last)).toEqual([id.a1]);
    expect(last.pagination.next_cursor).toBeNull();
  });
});

describe("GET /api/v1/properties: sorts", () => {
  const city = unique("Sortville");
  const rows: PropertyRow[] = [
    // price, area → price per m²; listed and updated dates all distinct.
    { price: 300000, area_living_sqm: 100, listed_at: "2026-01-03T00:00:00Z", updated_at: "2026-02-05T00:00:00Z" }, // 0: 3000/m²
    { price: null, area_living_sqm: 100, listed_at: "2026-01-05T00:00:00Z", updated_at: "2026-02-01T00:00:00Z" }, // 1: none
    { price: 100000, area_living_sqm: 20, listed_at: "2026-01-01T00:00:00Z", updated_at: "2026-02-04T00:00:00Z" }, // 2: 5000/m²
    { price: 200000, area_living_sqm: null, listed_at: "2026-01-04T00:00:00Z", updated_at: "2026-02-03T00:00:00Z" }, // 3: none
    { price: 100000, area_living_sqm: 50, listed_at: "2026-01-02T00:00:00Z", updated_at: "2026-02-02T00:00:00Z" }, // 4: 2000/m²
  ];
  let id: string[] = [];
  const byId = (a: number, b: number) => ((id[a] as string) < (id[b] as string) ? [a, b] : [b, a]);
  beforeAll(async () => {
    id = await insertProperties(rows.map((r) => ({ ...r, city })));
  });

  it.each([
    ["-listed_at", () => [1, 3, 0, 4, 2]],
    ["-updated_at", () => [0, 2, 3, 4, 1]],
    // Equal prices (2 and 4) are ordered by id; unknown prices come last.
    ["price", () => [...byId(2, 4), 3, 0, 1]],
    ["-price", () => [0, 3, ...byId(2, 4).reverse(), 1]],
    ["price_per_sqm", () => [4, 0, 2, ...byId(1, 3)]],
  ])("sort=%s", async (sort, expected) => {
    const body = await search(`city=${city}&sort=${sort}`);
    expect(ids(body)).toEqual(expected().map((i) => id[i]));
    // Same order when walked one row per page by cursor.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof search>> = await search(
        `city=${city}&sort=${sort}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      walked.push(...ids(page));
      cursor = page.pagination.next_cursor;
    } while (cursor);
    expect(walked).toEqual(expected().map((i) => id[i]));
  });
});

describe("GET /api/v1/properties: geo", () => {
  const city = unique("Geoville");
  // Around (lat 12.5, lng 45.5); offsets in degrees of latitude (≈111 km each).
  const centre = { lat: 12.5, lng: 45.5 };
  const offsets = [0.001, 0.02, 0.03, 0.044, 0.046, 0.06, 0.2];
  let id: string[] = [];
  let unlocated = "";
  beforeAll(async () => {
    id = await insertProperties(
      offsets.map((d, i) => ({ city, lat: centre.lat + d, lng: centre.lng + (i % 2 ? 0.001 : -0.001) })),
    );
    unlocated = (await insertProperties([{ city, lat: null, lng: null }]))[0] as string;
  });

  it("radius returns exactly the rows within r km, nearest first, with distance_km", async () => {
    const expected = await sql<{ id: string; d: number }>(
      `SELECT id, ST_Distance(location, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, false) AS d
         FROM properties WHERE city = $1 AND location IS NOT NULL
          AND ST_Distance(location, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, false) <= 5000 ORDER BY d, id`,
      [city, centre.lng, centre.lat],
    );
    // By hand: offsets up to 0.044° (≈4.9 km) are inside 5 km, 0.046° (≈5.1 km) and beyond are not.
    expect(sorted(expected.map((r) => r.id))).toEqual(sorted(id.slice(0, 4)));
    for (const sort of ["distance", "-listed_at", "price"]) {
      const body = await search(`city=${city}&near=${centre.lat},${centre.lng}&radius_km=5&sort=${sort}`);
      expect(sorted(ids(body))).toEqual(sorted(expected.map((r) => r.id)));
      if (sort === "distance") {
        expect(ids(body)).toEqual(expected.map((r) => r.id));
        body.data.forEach((d, i) => {
          expect(d.distance_km).toBeCloseTo(Number(expected[i]?.d) / 1000, 3);
        });
      }
    }
  });

  it("bbox returns the rows inside the viewport and never the unlocated ones", async () => {
    const bbox = [centre.lng - 0.01, centre.lat, centre.lng + 0.01, centre.lat + 0.045].join(",");
    const body = await search(`city=${city}&bbox=${bbox}`);
    expect(sorted(ids(body))).toEqual(sorted(id.slice(0, 4)));
    expect(ids(body)).not.toContain(unlocated);
  });

  it("polygon works as lat,lng pairs and as GeoJSON", async () => {
    // A triangle covering offsets 0.015°..0.05° on both sides of the centre line.
    const pts = [
      [centre.lat + 0.015, centre.lng - 0.01],
      [centre.lat + 0.05, centre.lng - 0.01],
      [centre.lat + 0.05, centre.lng + 0.01],
    ];
    const pairs = pts.map(([lat, lng]) => `${lat},${lng}`).join(";");
    const ring = [...pts, pts[0] as number[]].map(([lat, lng]) => [lng, lat]);
    const geojson = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    // By hand: the diagonal runs from (0.015, -0.01) to (0.05, +0.01); a point is inside when it is
    // between 0.015 and 0.05 north and west of the diagonal. Offsets 0.044 (+0.001) and 0.046 (-0.001)
    // are; 0.02 (+0.001) and 0.03 (-0.001, the diagonal is at -0.00143 there) are just east of it.
    const expected = [id[3] as string, id[4] as string];
    const postgis = await sql<{ id: string }>(
      `SELECT id FROM properties WHERE city = $1 AND ST_Intersects(location::geometry, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))`,
      [city, geojson],
    );
    expect(sorted(postgis.map((r) => r.id))).toEqual(sorted(expected));
    for (const polygon of [pairs, geojson]) {
      const body = await search(`city=${city}&polygon=${encodeURIComponent(polygon)}`);
      expect(sorted(ids(body))).toEqual(sorted(expected));
    }
  });

  it("orders equal distances (one building) by id, even when they straddle the KNN cut", async () => {
    const building = unique("Tower");
    const here = { lat: -41.29, lng: 174.78 };
    const tower = await insertProperties(Array.from({ length: 40 }, () => ({ city: building, lat: here.lat, lng: here.lng })));
    const byId = sorted(tower);
    const first = await search(`city=${building}&near=${here.lat},${here.lng}&radius_km=1&sort=distance&limit=10`);
    expect(ids(first)).toEqual(byId.slice(0, 10));
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof search>> = await search(
        `city=${building}&near=${here.lat},${here.lng}&radius_km=1&sort=distance&limit=15${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      all.push(...ids(page));
      cursor = page.pagination.next_cursor;
    } while (cursor);
    expect(all).toEqual(byId);
  });
});

describe("GET /api/v1/properties: currencies", () => {
  it("converts minor units by the currency's own digits (JPY has none, KWD three)", async () => {
    const city = unique("Moneyton");
    const [yen, dinar] = await insertProperties([
      { city, currency: "JPY", price: 35000000, area_living_sqm: 70, listed_at: "2026-02-02T00:00:00Z" },
      { city, currency: "KWD", price: 120000.5, area_living_sqm: 100, listed_at: "2026-02-01T00:00:00Z" },
    ]);
    const stored = await sql<{ price_minor: string }>(
      "SELECT price_minor FROM properties WHERE id = ANY($1) ORDER BY listed_at DESC",
      [[yen, dinar]],
    );
    expect(stored.map((r) => Number(r.price_minor))).toEqual([35000000, 120000500]);
    const body = await search(`city=${city}&fields=id,price,currency,price_per_sqm`);
    expect(body.data).toEqual([
      { id: yen, price: 35000000, currency: "JPY", price_per_sqm: 500000 },
      { id: dinar, price: 120000.5, currency: "KWD", price_per_sqm: 1200.01 },
    ]);
  });
});
