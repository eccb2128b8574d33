/**
 * What ingest checks and converts for every entry point (contract/ingest/price.ts, plausibility.ts), seen
 * through the API: rents stored per month with the quote kept, price qualifiers, locale numbers,
 * coordinates outside the country dropped (the property then waits for the geocoder), a price in
 * another currency than the country's withheld unless the source's text names it, implausible prices
 * flagged.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, postJson, sampleItem } from "../../../../test/listings";
import { IngestBatchResponseSchema as BatchResponseSchema } from "./batch";
import { CreatePropertyResponseSchema } from "./create";

type Row = Record<string, unknown>;

async function property(id: string): Promise<Row> {
  const rows = await db().execute(
    sql`SELECT price_minor, currency, listing_type, attributes, missing_fields, ST_Y(location::geometry) AS lat FROM properties WHERE id = ${id}`,
  );
  return rows.rows[0] as Row;
}

async function create(overrides: Parameters<typeof sampleItem>[0]) {
  const res = await postJson("/api/v1/properties", sampleItem(overrides));
  expect(res.status, await res.clone().text()).toBe(201);
  return CreatePropertyResponseSchema.parse(await res.json()).data;
}

describe("ingest: prices as the data model defines them", () => {
  it("a rent of '$660 per week' is stored as 2,860 a month, the weekly quote kept in attributes", async () => {
    const data = await create({ listing_type: "rent", price: "$660 per week" });
    const row = await property(data.id);
    expect(Number(row.price_minor)).toBe(286_000);
    expect(row.attributes).toMatchObject({ source_price: { amount: 660, period: "week", text: "$660 per week" } });
  });

  it("a numeric rent with price_period is converted too; a sale never is", async () => {
    const rent = await create({ listing_type: "rent", price: 24_000, price_period: "year" });
    expect(Number((await property(rent.id)).price_minor)).toBe(200_000);
    const sale = await create({ listing_type: "sale", price: "$660 per week" });
    expect(Number((await property(sale.id)).price_minor)).toBe(66_000);
  });

  it("'AUCTION THIS SATURDAY @3:00PM' is no price and an auction (the issue: a price of 3)", async () => {
    const data = await create({ price: "AUCTION THIS SATURDAY @3:00PM" });
    const row = await property(data.id);
    expect(row.price_minor).toBeNull();
    expect(row.attributes).toMatchObject({ price_qualifier: "auction" });
  });

  it("locale numbers and qualifiers: 1'250'000 CHF, 'Offers over £1.2m', a range's upper bound", async () => {
    const swiss = await create({
      price: "CHF 1'250'000",
      currency: "CHF",
      address: { street: "Bahnhofstrasse 1", city: "Zürich", country: "CH" },
      location: { lat: 47.37, lng: 8.54 },
    });
    expect(Number((await property(swiss.id)).price_minor)).toBe(125_000_000);
    const uk = await create({
      price: "Offers over £1.2m",
      currency: undefined,
      address: { street: "1 High St", city: "London", country: "GB" },
      location: { lat: 51.5, lng: -0.12 },
    });
    expect(await property(uk.id)).toMatchObject({ currency: "GBP", attributes: { price_qualifier: "offers_over" } });
    expect(Number((await property(uk.id)).price_minor)).toBe(120_000_000);
    const range = await create({ price: "$700,000 - $760,000" });
    expect((await property(range.id)).attributes).toMatchObject({ price_qualifier: "range", price_max: 760_000 });
  });

  it("text that is no price and no price statement is still refused", async () => {
    const res = await postJson("/api/v1/properties", sampleItem({ price: "banana" }));
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/not a price: \\"banana\\"/);
  });
});

describe("ingest: plausibility", () => {
  it("a London listing with coordinates in Western Australia: the point dropped, the property left for the geocoder, a warning", async () => {
    const data = await create({
      address: { street: "12 Sycamore Street", city: "London", postal_code: "EC1Y 0SR", country: "GB" },
      currency: "GBP",
      location: { lat: -31.95, lng: 115.86 },
    });
    expect(data.warnings).toEqual([
      { code: "location_outside_country", country: "GB", lat: -31.95, lng: 115.86, action: "dropped_queued_for_geocoding" },
    ]);
    const row = await property(data.id);
    expect(row.lat).toBeNull();
    // The hourly enrichment run takes properties without coordinates first (pkg/enrichment/scheduler.ts).
    expect(row.missing_fields).toContain("location");
    expect(row.attributes).toMatchObject({ rejected_location: { lat: -31.95, lng: 115.86, reason: "outside_country" } });
  });

  it("a Canadian house priced in USD by a bare number: the price withheld, kept in attributes, a warning", async () => {
    const vancouver = {
      address: { street: "2748 E 23rd Ave", city: "Vancouver", state: "BC", postal_code: "V5R 1A8", country: "CA" },
      location: { lat: 49.2495, lng: -123.048 },
    };
    const data = await create({ ...vancouver, price: 1_898_000, currency: "USD" });
    expect(data.warnings).toEqual([
      { code: "currency_country_mismatch", country: "CA", currency: "USD", expected: "CAD", action: "price_withheld" },
    ]);
    const row = await property(data.id);
    expect(row).toMatchObject({ price_minor: null, currency: "CAD" });
    expect(row.attributes).toMatchObject({
      withheld_price: { price: 1_898_000, currency: "USD", reason: "currency_country_mismatch" },
    });
    // The source's own text naming the currency keeps it.
    const stated = await create({
      ...vancouver,
      address: { ...vancouver.address, street: "2750 E 23rd Ave" },
      price: "US$ 1,898,000",
      currency: "USD",
    });
    expect(stated.warnings ?? []).toEqual([]);
    expect(await property(stated.id)).toMatchObject({ currency: "USD" });
    expect(Number((await property(stated.id)).price_minor)).toBe(189_800_000);
  });

  it("implausible prices per currency and listing type are stored but flagged; sane ones are not", async () => {
    const res = await postJson("/api/v1/properties/batch", {
      items: [
        sampleItem({ price: 3 }),
        sampleItem({ listing_type: "rent", price: 5_000_000 }),
        sampleItem({ listing_type: "rent", price: "$660 pw" }),
        sampleItem({ price: 850_000 }),
      ],
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = BatchResponseSchema.parse(await res.json());
    expect(body.data.results.map((r) => r.outcome)).toEqual(["created", "created", "created", "created"]);
    expect(body.data.results.map((r) => r.warnings?.map((w) => w.code) ?? [])).toEqual([
      ["implausible_price"],
      ["implausible_price"],
      [],
      [],
    ]);
    expect(body.data.results[0]?.warnings?.[0]).toMatchObject({
      field: "price",
      value: 3,
      currency: "AUD",
      range: [10_000, 200_000_000],
    });
  });
});
