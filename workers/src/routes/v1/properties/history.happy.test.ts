/**
 * Source-dated history: every event carries the date it happened at the source (`occurred_at`) besides the
 * time Pillow saw it (`observed_at`), and the property page's history reads the former.
 */
import { describe, expect, it } from "vitest";
import { Rejection } from "../../../../../connectors/datasets/index";
import { kingCounty } from "../../../../../connectors/datasets/king-county";
import { call } from "../../../../test/helpers";
import { postJson, sampleItem, uniqueStreetName } from "../../../../test/listings";
import { IngestBatchResponseSchema } from "./batch";
import { PropertyDetailResponseSchema } from "./schema";

const KC_HEADER =
  "id,date,price,bedrooms,bathrooms,sqft_living,sqft_lot,floors,waterfront,view,condition,grade,sqft_above,sqft_basement,yr_built,yr_renovated,zipcode,lat,long,sqft_living15,sqft_lot15".split(
    ",",
  );
/** One King County parcel sold twice (rows of kc_house_data.csv, CC0, as in the demo data). */
const KC_REPEAT_SALE = [
  "0007200179,20141016T000000,150000,2,1,840,12750,1,0,0,3,6,840,0,1925,0,98055,47.484,-122.211,1480,6969",
  "0007200179,20150424T000000,175000,2,1,840,12750,1,0,0,3,6,840,0,1925,0,98055,47.484,-122.211,1480,6969",
];

function kcItem(line: string, source: string) {
  const record = Object.fromEntries(KC_HEADER.map((h, i) => [h, line.split(",")[i] ?? ""]));
  const item = kingCounty.map(record);
  if (item instanceof Rejection) throw new Error(item.reason);
  return { ...item, source };
}

async function batch(items: unknown[]) {
  const res = await postJson("/api/v1/properties/batch", { items });
  expect(res.status, await res.clone().text()).toBe(200);
  return IngestBatchResponseSchema.parse(await res.json()).data;
}

async function history(id: string) {
  const res = await call(`/api/v1/properties/${id}`);
  expect(res.status).toBe(200);
  return PropertyDetailResponseSchema.parse(await res.json()).data.history;
}

describe("source-dated history", () => {
  it("shows a King County parcel's two sales on their sale dates, not on the day of import", async () => {
    const source = `kc-history-${crypto.randomUUID().slice(0, 8)}`;
    const [first, second] = KC_REPEAT_SALE.map((line) => kcItem(line, source));
    const a = (await batch([first])).results[0]!;
    const b = (await batch([second])).results[0]!;
    expect(b).toMatchObject({ outcome: "merged", id: a.id });

    const events = await history(a.id!);
    expect(events.map((e) => [e.type, e.occurred_at.slice(0, 10)])).toEqual([
      ["listed", "2014-10-16"],
      ["sold", "2015-04-24"],
    ]);
    expect(events[1]!.new).toMatchObject({ status: "sold", sold_price: 175000, sold_at: "2015-04-24T00:00:00.000Z" });
    for (const e of events) {
      expect(e.at).toBe(e.occurred_at);
      expect(Date.parse(e.observed_at)).toBeGreaterThan(Date.now() - 10 * 60_000);
      expect(e.source).toBe(source);
    }
  });

  it("does not add events when the same sales are imported again", async () => {
    const source = `kc-history-${crypto.randomUUID().slice(0, 8)}`;
    const items = KC_REPEAT_SALE.map((line) => kcItem(line, source));
    const a = (await batch([items[0]])).results[0]!;
    await batch([items[1]]);
    const before = await history(a.id!);
    for (const item of items) expect((await batch([item])).results[0]!.outcome).toBe("unchanged");
    expect(await history(a.id!)).toEqual(before);
  });

  it("dates a listing by its listing date and a sale reported later by its sale date", async () => {
    const item = sampleItem({
      address: { street: `3 ${uniqueStreetName()} St`, city: "Surry Hills", postal_code: "2010", country: "AU" },
    });
    const a = (await batch([{ ...item, listed_at: "2026-03-02T00:00:00Z" }])).results[0]!;
    await batch([
      { ...item, listed_at: "2026-03-02T00:00:00Z", status: "sold", sold_price: 900000, sold_at: "2026-05-20T00:00:00Z" },
    ]);
    const events = await history(a.id!);
    expect(events.map((e) => [e.type, e.occurred_at.slice(0, 10)])).toEqual([
      ["listed", "2026-03-02"],
      ["status_change", "2026-05-20"],
    ]);
  });

  it("dates a change the source gives no date for by when it was observed", async () => {
    const item = sampleItem({
      address: { street: `5 ${uniqueStreetName()} St`, city: "Surry Hills", postal_code: "2010", country: "AU" },
    });
    const a = (await batch([item])).results[0]!;
    await batch([{ ...item, price: 800000 }]);
    const change = (await history(a.id!)).find((e) => e.type === "price_change")!;
    expect(Math.abs(Date.parse(change.occurred_at) - Date.parse(change.observed_at))).toBeLessThan(5_000);
  });
});
