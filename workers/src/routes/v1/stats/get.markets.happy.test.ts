/**
 * One market at a time: `currency` narrows every group to one currency (a series by month never
 * joins two currencies), `group_by=country` lists the markets largest first, and days on market
 * counts only listing dates the sources gave (a dataset's sale alone has none).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, unique } from "../../../../test/helpers";
import { insertProperties } from "../../../../test/property-rows";
import { StatsResponseSchema } from "./schema";

async function stats(query: string) {
  const res = await call(`/api/v1/stats?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return StatsResponseSchema.parse(await res.json()).data;
}

describe("GET /api/v1/stats per market", () => {
  // One made-up city name in two countries: the filter sees only this file's rows.
  const city = unique("Marketon");
  const q = `city=${city}&status=active,sold`;
  beforeAll(async () => {
    await insertProperties([
      // A US market of three sales with source listing dates: 10, 20 and 40 days on the market.
      ...[10, 20, 40].map((days) => ({
        city,
        country: "US",
        currency: "USD",
        status: "sold",
        price: 500000,
        listed_at: "2015-03-01T00:00:00Z",
        sold_at: new Date(Date.parse("2015-03-01T00:00:00Z") + days * 86_400_000).toISOString(),
      })),
      // A dataset of sales: the sale is its listing date too; no time on the market.
      {
        city,
        country: "US",
        currency: "USD",
        status: "sold",
        price: 400000,
        listed_at: "2014-06-01T00:00:00Z",
        sold_at: "2014-06-01T00:00:00Z",
      },
      // Imported in 2026 without a listing date, sold in 2014: the import date is not a listing date.
      {
        city,
        country: "US",
        currency: "USD",
        status: "sold",
        price: 450000,
        listed_at: "2026-12-01T00:00:00Z",
        sold_at: "2014-05-01T00:00:00Z",
      },
      // A smaller GB market in pounds, listed in 2022.
      {
        city,
        country: "GB",
        currency: "GBP",
        status: "sold",
        price: 175000,
        property_type: "house",
        listed_at: "2022-02-01T00:00:00Z",
        sold_at: "2022-02-01T00:00:00Z",
      },
      {
        city,
        country: "GB",
        currency: "GBP",
        status: "sold",
        price: 185000,
        property_type: "apartment",
        listed_at: "2022-03-01T00:00:00Z",
        sold_at: "2022-03-01T00:00:00Z",
      },
    ]);
  });

  it("lists the markets, country and currency, largest first", async () => {
    const data = await stats(`${q}&group_by=country`);
    expect(data.groups.map((g) => [g.key, g.currency, g.count])).toEqual([
      ["US", "USD", 5],
      ["GB", "GBP", 2],
    ]);
  });

  it("gives one currency per series with currency=, in any letter case", async () => {
    const mixed = await stats(`${q}&group_by=month`);
    expect(new Set(mixed.groups.map((g) => g.currency))).toEqual(new Set(["USD", "GBP"]));

    const gbp = await stats(`${q}&currency=gbp&group_by=month`);
    expect(gbp.groups.map((g) => [g.key, g.currency, g.median_price])).toEqual([
      ["2022-02", "GBP", 175000],
      ["2022-03", "GBP", 185000],
    ]);
    const usdTypes = await stats(`${q}&currency=USD&group_by=property_type`);
    expect(usdTypes.groups.map((g) => [g.key, g.count])).toEqual([["house", 5]]);
    const none = await stats(`${q}&currency=EUR`);
    expect(none.groups).toEqual([]);
  });

  it("counts days on market only from listing dates before the sale", async () => {
    const [us] = (await stats(`${q}&currency=USD`)).groups;
    expect(us?.count).toBe(5);
    // 10, 20, 40 days; the sale without a listing date and the import-dated one are left out.
    expect(us?.median_days_on_market).toBe(20);
    const [gb] = (await stats(`${q}&currency=GBP`)).groups;
    expect(gb?.count).toBe(2);
    expect(gb?.median_days_on_market).toBeNull();
  });
});
