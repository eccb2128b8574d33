/**
 * What a person sees of two things the API tests check by value: a property located only by its postcode
 * is drawn as a hollow ring that says it is approximate (docs/geocoding.md "Approximate positions"), on the
 * property page and in radius results; and a King County parcel sold twice shows both sales on their sale
 * dates (docs/data-model.md "History events"), not on the day of import.
 */
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Rejection } from "../../connectors/datasets/index";
import { kingCounty } from "../../connectors/datasets/king-county";
import { BACKFILL_STEPS } from "../../workers/src/pkg/geocode/backfill-sql";
import { launch, openPage, origin, requireApi, screenshot, seed } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function ingest(items: unknown[]): Promise<string[]> {
  const res = await fetch(`${origin()}/api/v1/properties/batch`, {
    method: "POST",
    headers: { authorization: `Bearer ${seed().serviceToken}`, "content-type": "application/json" },
    body: JSON.stringify({ items }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const body = (await res.json()) as { data: { results: Array<{ id: string; outcome: string; errors?: unknown }> } };
  for (const r of body.data.results) expect(r.outcome, JSON.stringify(r.errors)).not.toBe("invalid");
  return body.data.results.map((r) => r.id);
}

/** The gazetteer backfill the hourly cron runs, for these properties only (the database is shared). */
async function locate(ids: string[]): Promise<void> {
  const client = new pg.Client(inject("siteDatabaseUrl"));
  await client.connect();
  try {
    for (const step of BACKFILL_STEPS) await client.query(step.sql, [ids]);
  } finally {
    await client.end();
  }
}

const KC_HEADER =
  "id,date,price,bedrooms,bathrooms,sqft_living,sqft_lot,floors,waterfront,view,condition,grade,sqft_above,sqft_basement,yr_built,yr_renovated,zipcode,lat,long,sqft_living15,sqft_lot15".split(
    ",",
  );
/** One parcel of kc_house_data.csv (CC0, in the demo data) sold in October 2014 and again in April 2015. */
const KC_REPEAT_SALE = [
  "0007200179,20141016T000000,150000,2,1,840,12750,1,0,0,3,6,840,0,1925,0,98055,47.484,-122.211,1480,6969",
  "0007200179,20150424T000000,175000,2,1,840,12750,1,0,0,3,6,840,0,1925,0,98055,47.484,-122.211,1480,6969",
];

describe("property locations and dates as shown", () => {
  it("draws a postcode-located property as a hollow ring that says it is approximate, also in radius results", async (ctx) => {
    await requireApi(ctx, "POST /api/v1/properties/batch", "GET /api/v1/properties/{id}");
    const city = `Approxton ${crypto.randomUUID().slice(0, 6)}`;
    const listingId = crypto.randomUUID();
    const [id] = await ingest([
      {
        source: "browser-location",
        source_listing_id: listingId,
        source_url: `https://browser-location.example/listing/${listingId}`,
        property_type: "house",
        listing_type: "sale",
        status: "active",
        price: 245000,
        currency: "GBP",
        address: { street: "14 Grey Street", city, postal_code: "NE1 6EE", country: "GB" },
      },
    ]);
    await locate([id as string]);

    const { page, errors, context } = await openPage(browser, `/property/${id}`);
    await page.locator("#prop-body:not([hidden])").waitFor();
    await page.locator("#prop-map .approx-marker").waitFor();
    expect(await page.locator("#prop-map .maplibregl-marker:not(.approx-marker)").count()).toBe(0);
    const note = await page.textContent('[data-field="location-note"]');
    expect(note).toContain("approximate");
    expect(note).toContain("postcode area");
    expect(note).toContain("GeoNames");
    // Hollow: the ring's border is drawn, its inside is not the marker colour.
    const ring = await page.$eval("#prop-map .approx-marker", (el) => {
      const style = getComputedStyle(el);
      return { border: style.borderTopWidth, background: style.backgroundColor };
    });
    expect(Number.parseFloat(ring.border)).toBeGreaterThan(0);
    expect(ring.background).not.toBe("rgb(47, 111, 94)");
    await screenshot(page, "property-approximate-location");
    expect(errors).toEqual([]);

    await page.goto(`${origin()}/?city=${encodeURIComponent(city)}&near=54.97,-1.61&radius_km=5&sort=distance`);
    const distance = page.locator(`.card[data-id="${id}"] [data-field="distance"]`);
    await distance.waitFor();
    expect(await distance.textContent()).toMatch(/about [\d.]+ km away \(approximate position\)/);
    await context.close();
  });

  it("shows a King County parcel's two sales on their sale dates on the property page", async (ctx) => {
    await requireApi(ctx, "POST /api/v1/properties/batch", "GET /api/v1/properties/{id}");
    const source = `kc-browser-${crypto.randomUUID().slice(0, 8)}`;
    const items = KC_REPEAT_SALE.map((line) => {
      const record = Object.fromEntries(KC_HEADER.map((h, i) => [h, line.split(",")[i] ?? ""]));
      const item = kingCounty.map(record);
      if (item instanceof Rejection) throw new Error(item.reason);
      return { ...item, source };
    });
    const [first] = await ingest([items[0]]);
    const [second] = await ingest([items[1]]);
    expect(second).toBe(first);

    const { page, errors, context } = await openPage(browser, `/property/${first}`);
    await page.locator("#prop-body:not([hidden])").waitFor();
    const rows = await page.$$eval("#history-table tbody tr", (trs) =>
      trs.map((tr) => (tr.textContent ?? "").replace(/\s+/g, " ")),
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain("16 Oct 2014");
    expect(rows[1]).toContain("24 Apr 2015");
    const today = new Date().toLocaleDateString("en-GB", { year: "numeric", month: "short", day: "numeric" });
    expect(rows.join(" ")).not.toContain(today);
    expect(errors).toEqual([]);
    await context.close();
  });
});
