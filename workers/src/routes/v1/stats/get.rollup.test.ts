/**
 * Country-wide statistics by city come from the `property_stats_city` rollup: the same figures as the
 * live aggregate at the time of the refresh, `as_of` set, and unchanged until the next refresh.
 */
import { describe, expect, it } from "vitest";
import { call, testEnv, unique } from "../../../../test/helpers";
import { insertProperties, sql } from "../../../../test/property-rows";
import { propertiesChanged } from "../../../pkg/changes";
import { FilterQuerySchema, parseFilters } from "../../../pkg/search/params";
import { queryRows } from "../../../pkg/search/run";
import { buildStatsQuery } from "../../../pkg/search/stats";
import { buildRollupStatsQuery, refreshStatsRollup } from "../../../pkg/search/stats-rollup";
import { StatsResponseSchema } from "./schema";

// A country no other test writes to, so the whole country is this test's rows.
const COUNTRY = "AQ";

async function stats(query: string) {
  const res = await call(`/api/v1/stats?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return StatsResponseSchema.parse(await res.json()).data;
}

/** The live aggregate, straight from SQL, for the same filters. */
async function live(query: Record<string, string>) {
  const rows = await queryRows<{ key: string; count: number; median_price_minor: number; p25_price_minor: number }>(
    testEnv,
    buildStatsQuery(parseFilters(FilterQuerySchema.parse(query)), "city"),
  );
  return new Map(rows.map((r) => [r.key, r]));
}

describe("GET /api/v1/stats from the city rollup", () => {
  it("answers a country by city from the rollup, equal to the live aggregate as of the refresh", async () => {
    const north = unique("Rollnorth");
    const south = unique("Rollsouth");
    await insertProperties([
      { city: north, country: COUNTRY, currency: "USD", price: 100000, property_type: "house" },
      { city: north, country: COUNTRY, currency: "USD", price: 300000, property_type: "house" },
      { city: north, country: COUNTRY, currency: "USD", price: 250000, property_type: "apartment" },
      { city: south, country: COUNTRY, currency: "USD", price: 700000, property_type: "house" },
      { city: south, country: COUNTRY, currency: "USD", price: 900000, listing_type: "rent", property_type: "house" },
    ]);
    await refreshStatsRollup(testEnv);
    await propertiesChanged(testEnv, [{ id: "00000000-0000-4000-8000-000000000000", outcome: "merged" }]);

    const data = await stats(`country=${COUNTRY}&listing_type=sale&group_by=city`);
    expect(data.as_of).not.toBeNull();
    expect(Date.now() - Date.parse(data.as_of as string)).toBeLessThan(120_000);
    const byKey = new Map(data.groups.map((g) => [g.key, g]));
    expect(byKey.get(north.toLowerCase())).toMatchObject({ count: 3, median_price: 250000, p25_price: 175000 });
    expect(byKey.get(south.toLowerCase())).toMatchObject({ count: 1, median_price: 700000 });

    const direct = await live({ country: COUNTRY, listing_type: "sale" });
    for (const g of data.groups) {
      const d = direct.get(g.key);
      expect(d, g.key).toBeDefined();
      expect(g.count).toBe(d?.count);
      expect(g.median_price).toBe(Number(d?.median_price_minor) / 100);
    }

    // One property type, and no listing type (sale and rent together): rollup dimensions too.
    const houses = await stats(`country=${COUNTRY}&listing_type=sale&property_type=house&group_by=city`);
    expect(houses.as_of).not.toBeNull();
    expect(new Map(houses.groups.map((g) => [g.key, g.count])).get(north.toLowerCase())).toBe(2);
    const all = await stats(`country=${COUNTRY}&group_by=city`);
    expect(new Map(all.groups.map((g) => [g.key, g.count])).get(south.toLowerCase())).toBe(2);
  });

  it("can answer a country that has a currency of its own (the currency prices would be read in is not a filter)", () => {
    for (const country of ["NZ", "AU", "GB", "US"]) {
      const filters = parseFilters(FilterQuerySchema.parse({ country, listing_type: "sale" }));
      expect(buildRollupStatsQuery(filters, "city"), country).not.toBeNull();
    }
  });

  it("keeps the figures of the last refresh until the next one", async () => {
    const city = unique("Rollstale");
    await insertProperties([{ city, country: COUNTRY, currency: "USD", price: 500000 }]);
    await refreshStatsRollup(testEnv);
    await propertiesChanged(testEnv, [{ id: "00000000-0000-4000-8000-000000000000", outcome: "merged" }]);
    const before = await stats(`country=${COUNTRY}&status=active&group_by=city`);
    const key = city.toLowerCase();
    expect(before.groups.find((g) => g.key === key)?.count).toBe(1);

    await insertProperties([{ city, country: COUNTRY, currency: "USD", price: 600000 }]);
    await propertiesChanged(testEnv, [{ id: "00000000-0000-4000-8000-000000000000", outcome: "merged" }]);
    const stale = await stats(`country=${COUNTRY}&status=active&group_by=city`);
    expect(stale.groups.find((g) => g.key === key)?.count).toBe(1);
    expect(stale.as_of).toBe(before.as_of);

    await refreshStatsRollup(testEnv);
    await propertiesChanged(testEnv, [{ id: "00000000-0000-4000-8000-000000000000", outcome: "merged" }]);
    const fresh = await stats(`country=${COUNTRY}&status=active&group_by=city`);
    expect(fresh.groups.find((g) => g.key === key)?.count).toBe(2);
  });

  it("computes live (as_of null) whatever the rollup has no dimension for", async () => {
    const city = unique("Rolllive");
    await insertProperties([{ city, country: COUNTRY, currency: "USD", price: 400000 }]);
    for (const query of [
      `country=${COUNTRY}&city=${city}&group_by=city`,
      `country=${COUNTRY}&min_price=1&group_by=city`,
      `country=${COUNTRY}&group_by=property_type`,
      `country=${COUNTRY},US&group_by=city`,
    ]) {
      const data = await stats(query);
      expect(data.as_of, query).toBeNull();
    }
    // Live means current: the row inserted a moment ago, without any refresh.
    const data = await stats(`country=${COUNTRY}&city=${city}&group_by=city`);
    expect(data.groups[0]?.count).toBe(1);
  });

  it("counts days on market from source dates and price drops by their source date, as the live path does", async () => {
    const city = unique("Rolldays");
    const day = 86_400_000;
    const ago = (days: number) => new Date(Date.now() - days * day).toISOString();
    const ids = await insertProperties([
      // Sold 60 and 90 days after listing: on the market.
      { city, country: COUNTRY, status: "sold", listed_at: "2024-01-01T00:00:00Z", sold_at: "2024-03-01T00:00:00Z" },
      { city, country: COUNTRY, status: "sold", listed_at: "2024-01-01T00:00:00Z", sold_at: "2024-03-31T00:00:00Z" },
      // A sale reported alone (listed = sold) and a listing dated by its import after the sale: no time on the market.
      { city, country: COUNTRY, status: "sold", listed_at: "2024-05-01T00:00:00Z", sold_at: "2024-05-01T00:00:00Z" },
      { city, country: COUNTRY, status: "sold", listed_at: ago(1), sold_at: "2023-06-01T00:00:00Z" },
      { city, country: COUNTRY, status: "active", listed_at: ago(10) },
    ]);
    // A price drop that happened 5 days ago at the source, observed 40 days after an old crawl: it counts;
    // one observed yesterday that happened 100 days ago does not.
    await sql(
      `INSERT INTO property_events (property_id, type, old, new, at, occurred_at) VALUES
         ($1, 'price_change', '{"price_minor": 50000000}', '{"price_minor": 45000000}', now() - interval '40 days', now() - interval '5 days'),
         ($2, 'price_change', '{"price_minor": 50000000}', '{"price_minor": 45000000}', now() - interval '1 day', now() - interval '100 days')`,
      [ids[4], ids[0]],
    );
    await refreshStatsRollup(testEnv);
    const key = city.toLowerCase();
    for (const status of ["sold", "active"]) {
      const filters = parseFilters(FilterQuerySchema.parse({ country: COUNTRY, status }));
      const query = buildRollupStatsQuery(filters, "city");
      expect(query).not.toBeNull();
      type Row = { key: string; count: number; median_days_on_market: number | null; price_drops: number };
      const [rolled] = (await queryRows<Row>(testEnv, query as NonNullable<typeof query>)).filter((r) => r.key === key);
      const [direct] = (await queryRows<Row>(testEnv, buildStatsQuery(filters, "city"))).filter((r) => r.key === key);
      expect(rolled, status).toBeDefined();
      expect(rolled?.count, status).toBe(direct?.count);
      expect(rolled?.price_drops, status).toBe(direct?.price_drops);
      // Equal up to the seconds between the refresh and the live query (an unsold listing counts to now).
      expect(Number(rolled?.median_days_on_market), status).toBeCloseTo(Number(direct?.median_days_on_market), 2);
      if (status === "sold") {
        expect(Number(rolled?.median_days_on_market)).toBeCloseTo(75, 5);
        expect(rolled?.price_drops).toBe(0);
      } else {
        expect(Number(rolled?.median_days_on_market)).toBeCloseTo(10, 2);
        expect(rolled?.price_drops).toBe(1);
      }
    }
  });
});
