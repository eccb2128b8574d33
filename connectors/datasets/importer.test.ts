/**
 * Every dataset in ../shared/datasets read through its importer (streamed from the fixture server),
 * without the Mill: row counts, rejections with reasons, hand-checked values, repeat-sale ordering.
 */
import { expect, it } from "vitest";
import type { IngestItem } from "../contract/item";
import { describeWithFixtures, fixtures } from "../test-support";
import { type DatasetImporter, datasetImporters, findImporter, importDataset } from "./index";

async function dryRun(importer: DatasetImporter) {
  const res = await fetch(`${fixtures.urls.main}/raw/datasets/${importer.file}`);
  expect(res.status).toBe(200);
  const items: IngestItem[] = [];
  const report = await importDataset(importer, res.body as ReadableStream<Uint8Array>, { onBatch: (b) => items.push(...b) });
  return { report, items };
}

describeWithFixtures("dataset importers (dry run)", () => {
  it("King County: 21,613 rows; the 33-bedroom outlier rejected; repeat sales ordered as history", async () => {
    const { report, items } = await dryRun(findImporter("kc-house-data")!);
    expect(report.rowsRead).toBe(21_613);
    expect(report.reasons).toEqual({ "implausible bedrooms (known outlier)": 1 });
    expect(items).toHaveLength(21_612);
    const first = items.find((i) => i.source_listing_id === "7129300520");
    expect(first).toMatchObject({
      source: "kc_house_data",
      property_type: "house",
      status: "sold",
      price: 221900,
      sold_at: "2014-10-13T00:00:00.000Z",
      currency: "USD",
      bedrooms: 3,
      bathrooms: 1,
      area_living_sqm: 109.6, // 1,180 sq ft
      area_land_sqm: 524.9, // 5,650 sq ft
      year_built: 1955,
      address: { city: "Seattle", state: "WA", postal_code: "98178", country: "US" },
      location: { lat: 47.5112, lng: -122.257 },
    });
    // Parcel 6021501535 sold twice: 2014-07-25 ($430,000) then 2014-12-23 ($700,000), in that order,
    // and the second sale comes in a later batch than every first sale.
    const sales = items.map((item, index) => ({ item, index })).filter(({ item }) => item.source_listing_id === "6021501535");
    expect(sales.map(({ item }) => [item.sold_at?.slice(0, 10), item.price])).toEqual([
      ["2014-07-25", 430000],
      ["2014-12-23", 700000],
    ]);
    const firstSales = new Set<string>();
    let lastFirstSale = 0;
    items.forEach((item, index) => {
      if (!firstSales.has(item.source_listing_id)) {
        firstSales.add(item.source_listing_id);
        lastFirstSale = index;
      }
    });
    expect(firstSales.size).toBe(21_612 - 177);
    expect(sales[1]?.index).toBeGreaterThan(lastFirstSale);
  });

  it("UK Price Paid: the header without line break is read; 6,311 transactions", async () => {
    const { report, items } = await dryRun(findImporter("uk-ppd-newcastle")!);
    expect(report.rowsRead).toBe(6_311);
    expect(report.rejected).toBe(0);
    expect(items[0]).toMatchObject({
      source: "uk_ppd",
      source_listing_id: "F3B6C199-5495-6E40-E053-6C04A8C0B3B4",
      property_type: "other",
      status: "sold",
      price: 1567329,
      sold_at: "2022-02-25T00:00:00.000Z",
      currency: "GBP",
      address: { street: "44 Cloth Market", city: "Newcastle Upon Tyne", postal_code: "NE1 1EE", country: "GB" },
      attributes: { transaction_category: "additional", tenure: "freehold" },
    });
  });

  it("Melbourne: 13,580 rows with misspelled columns, d/mm/yyyy dates and h/u/t types", async () => {
    const { report, items } = await dryRun(findImporter("melb-data")!);
    expect(report.rowsRead).toBe(13_580);
    const turner = items.find((i) => i.source_listing_id === "85 turner st, abbotsford 3067");
    expect(turner).toMatchObject({
      property_type: "house",
      status: "sold",
      price: 1480000,
      sold_at: "2016-12-03T00:00:00.000Z",
      bedrooms: 2,
      bathrooms: 1,
      parking_spaces: 1,
      area_land_sqm: 202,
      address: { street: "85 Turner St", city: "Abbotsford", state: "VIC", postal_code: "3067", country: "AU" },
      location: { lat: -37.7996, lng: 144.9984 },
      attributes: { agency: "Biggin", sale_method: "S" },
    });
    expect(report.rejected + items.length).toBe(13_580);
    // 69 Victoria St, Coburg: one passed-in auction on 29/04/2017 written twice (agency "C21", then
    // "Century"): one item, the later row.
    const coburg = items.filter((i) => i.source_listing_id === "69 victoria st, coburg 3058");
    expect(coburg).toEqual([
      expect.objectContaining({
        status: "off_market",
        price: 720000,
        attributes: expect.objectContaining({ agency: "Century" }),
      }),
    ]);
    expect(report.reasons["same property and date as a later row (the later row is kept)"]).toBe(1);
  });

  it("Wellington 2020–2023: four schemas, one mapper", async () => {
    const counts: Record<string, number> = {};
    for (const importer of datasetImporters.filter((d) => d.name.startsWith("nz-wellington"))) {
      const { report, items } = await dryRun(importer);
      counts[importer.name] = report.rowsRead;
      expect(items.length + report.rejected).toBe(report.rowsRead);
      expect(items.length).toBeGreaterThan(report.rowsRead * 0.95);
    }
    expect(counts).toEqual({
      "nz-wellington-homes-2020": 1_539,
      "nz-wellington-homes-2021": 835,
      "nz-wellington-homes-2022": 783,
      "nz-wellington-homes-2023": 997,
    });
    const { items } = await dryRun(findImporter("nz-wellington-homes-2020")!);
    expect(items[0]).toMatchObject({
      source: "nz_wellington_homes_2020",
      source_listing_id: "136 Mairangi Road, Wilton, Wellington",
      bedrooms: 2,
      bathrooms: 1,
      currency: "NZD",
      address: { street: "136 Mairangi Road", city: "Wellington", country: "NZ" },
      location: { lat: -41.2680735167, lng: 174.7643546 },
      attributes: { display_price: "$TBC", suburb: "Wilton" },
    });
    expect(items[0]?.price).toBeUndefined();
  });
});
