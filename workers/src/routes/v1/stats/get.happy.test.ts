import { beforeAll, describe, expect, it } from "vitest";
import { call, unique } from "../../../../test/helpers";
import { insertProperties, sql } from "../../../../test/property-rows";
import { StatsResponseSchema } from "./schema";

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

async function stats(query: string) {
  const res = await call(`/api/v1/stats?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return StatsResponseSchema.parse(await res.json()).data;
}

describe("GET /api/v1/stats", () => {
  const city = unique("Statsburg");
  let ids: string[] = [];
  beforeAll(async () => {
    ids = await insertProperties([
      { city, property_type: "house", price: 100000, area_living_sqm: 100, listed_at: daysAgo(10) },
      { city, property_type: "house", price: 200000, area_living_sqm: 100, listed_at: daysAgo(20) },
      { city, property_type: "apartment", price: 300000, area_living_sqm: 100, listed_at: daysAgo(35) },
      { city, property_type: "apartment", price: 400000, area_living_sqm: 100, listed_at: daysAgo(40) },
      { city, property_type: "apartment", price: 999999, status: "sold", listed_at: daysAgo(50), sold_at: daysAgo(5) },
    ]);
    await sql(
      `INSERT INTO property_events (property_id, type, old, new, occurred_at) VALUES
        ($1, 'price_change', '{"price_minor": 11000000}', '{"price_minor": 10000000}', now() - interval '3 days'),
        ($2, 'price_change', '{"price_minor": 19000000}', '{"price_minor": 20000000}', now() - interval '3 days'),
        ($3, 'price_change', '{"price_minor": 31000000}', '{"price_minor": 30000000}', now() - interval '60 days')`,
      [ids[0], ids[1], ids[2]],
    );
  });

  it("computes count, quartiles, average, price per m², days on market and activity (worked out by hand)", async () => {
    const data = await stats(`city=${city}`);
    expect(data.group_by).toBe("none");
    expect(data.groups).toHaveLength(1);
    const g = data.groups[0];
    // Active rows only (the default status): prices 100k..400k, each 100 m².
    expect(g).toMatchObject({
      key: "all",
      currency: "USD",
      count: 4,
      median_price: 250000,
      p25_price: 175000,
      p75_price: 325000,
      avg_price: 250000,
      median_price_per_sqm: 2500,
      new_listings: 2, // listed 10 and 20 days ago
      price_drops: 1, // a drop 3 days ago; a rise; a drop 60 days ago is outside the window
    });
    expect(g?.median_days_on_market).toBeCloseTo(27.5, 0);
  });

  it("matches a direct SQL computation, per group", async () => {
    const data = await stats(`city=${city}&status=active,sold&group_by=property_type`);
    const direct = await sql<{
      key: string;
      count: number;
      median: number;
      p25: number;
      p75: number;
      avg: number;
      ppsqm: number | null;
    }>(
      `SELECT property_type AS key, count(*)::int AS count,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY price_minor) / 100 AS median,
              percentile_cont(0.25) WITHIN GROUP (ORDER BY price_minor) / 100 AS p25,
              percentile_cont(0.75) WITHIN GROUP (ORDER BY price_minor) / 100 AS p75,
              avg(price_minor)::float8 / 100 AS avg,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY price_per_sqm) AS ppsqm
         FROM properties WHERE city = $1 GROUP BY 1 ORDER BY 2 DESC, 1`,
      [city],
    );
    expect(data.groups.map((g) => g.key)).toEqual(["apartment", "house"]);
    for (const row of direct) {
      const g = data.groups.find((x) => x.key === row.key);
      expect(g).toMatchObject({ count: row.count, median_price: row.median, p25_price: row.p25, p75_price: row.p75 });
      expect(g?.avg_price).toBeCloseTo(row.avg, 2);
      expect(g?.median_price_per_sqm).toBeCloseTo(Number(row.ppsqm), 2);
    }
    // By hand: apartments 300k, 400k, 999,999 → median 400k; houses 100k, 200k → median 150k.
    expect(data.groups.map((g) => g.median_price)).toEqual([400000, 150000]);
  });

  it("groups by city (label as written), month and week", async () => {
    const byCity = await stats(`city=${city.toUpperCase()}&group_by=city`);
    expect(byCity.groups).toEqual([expect.objectContaining({ key: city.toLowerCase(), label: city, count: 4 })]);
    const byMonth = await stats(`city=${city}&group_by=month`);
    expect(byMonth.groups.reduce((n, g) => n + g.count, 0)).toBe(4);
    expect(byMonth.groups.every((g) => /^\d{4}-\d{2}$/.test(g.key))).toBe(true);
    expect(byMonth.groups.map((g) => g.key)).toEqual([...byMonth.groups.map((g) => g.key)].sort());
    const byWeek = await stats(`city=${city}&group_by=week`);
    expect(byWeek.groups.reduce((n, g) => n + g.count, 0)).toBe(4);
    for (const g of byWeek.groups) expect(new Date(`${g.key}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it("returns no groups for filters nothing matches", async () => {
    const data = await stats(`city=${unique("Nowhere")}`);
    expect(data.groups).toEqual([]);
  });
});
