import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, postJson, sampleItem, uniqueStreetName } from "../../../../test/listings";
import { IngestBatchResponseSchema } from "./batch";

type Row = Record<string, unknown>;

async function batch(items: unknown[], headers: Record<string, string> = {}) {
  const res = await postJson("/api/v1/properties/batch", { items }, headers);
  expect(res.status, await res.clone().text()).toBe(200);
  return IngestBatchResponseSchema.parse(await res.json()).data;
}

async function property(id: string): Promise<Row> {
  const { rows } = await db().execute(
    sql`SELECT *, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lng, price_minor::float8 AS price, sold_price_minor::float8 AS sold_price FROM properties WHERE id = ${id}`,
  );
  return rows[0] as Row;
}

async function eventsOf(ids: string[]): Promise<Row[]> {
  const { rows } = await db().execute(
    sql`SELECT property_id, type, old, new, source FROM property_events WHERE property_id = ANY(${`{${ids.join(",")}}`}::uuid[]) ORDER BY id`,
  );
  return rows as Row[];
}

describe("POST /api/v1/properties/batch", () => {
  it("merges one physical property from two sources into one record with both sources and the union of fields", async () => {
    const street = uniqueStreetName();
    const a = sampleItem({
      source: "agency-a.example",
      address: { street: `Unit 4/12 ${street} St`, city: "Surry Hills", state: "NSW", postal_code: "2010", country: "AU" },
      area_living_sqm: undefined,
      images: ["https://img.example/a1.jpg"],
      features: ["garden"],
      description: undefined,
    });
    const b = sampleItem({
      source: "portal-b.example",
      address: { street: `4/12 ${street.toUpperCase()} STREET`, city: "surry hills", postal_code: "2010", country: "Australia" },
      location: undefined,
      bedrooms: undefined,
      area_living_sqm: "1,200 sq ft",
      images: ["https://img.example/b1.jpg", "https://img.example/a1.jpg"],
      features: ["Pool", "garden"],
      description: "<p>Renovated <b>kitchen</b></p>",
    });
    const first = await batch([a]);
    const second = await batch([b]);
    expect(first.results[0]).toMatchObject({ outcome: "created" });
    expect(second.results[0]).toMatchObject({ outcome: "merged", id: first.results[0]!.id });

    const id = first.results[0]!.id!;
    const row = await property(id);
    expect(row).toMatchObject({
      bedrooms: 3,
      area_living_sqm: 111.48,
      unit: "4",
      street: `12 ${street} Street`,
      description: "Renovated kitchen",
    });
    expect(row.lat).toBeCloseTo(-33.8861, 6);
    expect(row.lng).toBeCloseTo(151.2111, 6);
    expect(row.features).toEqual(["garden", "pool"]);
    const { rows: sources } = await db().execute(
      sql`SELECT source FROM property_sources WHERE property_id = ${id} ORDER BY source`,
    );
    expect(sources.map((s) => s.source)).toEqual(["agency-a.example", "portal-b.example"]);
    const { rows: images } = await db().execute(sql`SELECT url FROM property_images WHERE property_id = ${id} ORDER BY position`);
    expect(images.map((i) => i.url)).toEqual(["https://img.example/a1.jpg", "https://img.example/b1.jpg"]);
  });

  it("keeps different units of one building apart", async () => {
    const street = uniqueStreetName();
    const address = (unit: string) => ({ street: `${unit}/7 ${street} Rd`, city: "Fitzroy", postal_code: "3065", country: "AU" });
    const { results } = await batch([sampleItem({ address: address("1") }), sampleItem({ address: address("2") })]);
    expect(results.map((r) => r.outcome)).toEqual(["created", "created"]);
    expect(results[0]!.id).not.toBe(results[1]!.id);
  });

  it("never merges on a coarse address: listings without a street number stay per source listing", async () => {
    const street = uniqueStreetName();
    const address = { street: `${street} Road`, city: "Fitzroy", postal_code: "3065", country: "AU" };
    const { results } = await batch([sampleItem({ address }), sampleItem({ address, source: "other.example" })]);
    expect(results.map((r) => r.outcome)).toEqual(["created", "created"]);
    expect(results[0]!.id).not.toBe(results[1]!.id);
    expect((await property(results[0]!.id!)).address_hash).toBeNull();
  });

  it("answers a re-submitted batch with all unchanged, the same ids and no new events", async () => {
    const items = Array.from({ length: 25 }, () => sampleItem());
    const first = await batch(items);
    expect(first.totals).toMatchObject({ received: 25, created: 25 });
    const ids = first.results.map((r) => r.id!);
    const eventsBefore = await eventsOf(ids);
    const { rows: before } = await db().execute(
      sql`SELECT max(updated_at)::text AS t FROM properties WHERE id = ANY(${`{${ids.join(",")}}`}::uuid[])`,
    );

    const second = await batch(items);
    expect(second.totals).toEqual({ received: 25, created: 0, merged: 0, unchanged: 25, invalid: 0 });
    expect(second.results.map((r) => r.id)).toEqual(ids);
    expect(await eventsOf(ids)).toEqual(eventsBefore);
    const { rows: after } = await db().execute(
      sql`SELECT max(updated_at)::text AS t FROM properties WHERE id = ANY(${`{${ids.join(",")}}`}::uuid[])`,
    );
    expect(after[0]!.t).toBe(before[0]!.t);
  });

  it("answers a re-submission written differently but meaning the same as unchanged, without events", async () => {
    const item = sampleItem();
    const [created] = (await batch([item])).results;
    const street = (item.address as { street: string }).street.replace(/ St$/, " Street");
    const reordered = {
      ...Object.fromEntries(Object.entries(item).reverse()),
      address: { ...item.address, street },
      price: "$850,000",
    };
    const [again] = (await batch([reordered])).results;
    expect(again).toEqual({ index: 0, outcome: "unchanged", id: created!.id });
    expect((await eventsOf([created!.id!])).map((e) => e.type)).toEqual(["listed"]);
    // and the new spelling is now recognised at the first lookup
    expect((await batch([reordered])).results[0]).toEqual({ index: 0, outcome: "unchanged", id: created!.id });
  });

  it("replays the first response for a repeated Idempotency-Key", async () => {
    const key = crypto.randomUUID();
    const body = { items: [sampleItem(), sampleItem()] };
    const first = await postJson("/api/v1/properties/batch", body, { "Idempotency-Key": key });
    expect(first.status).toBe(200);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    const firstText = await first.text();
    const replay = await postJson("/api/v1/properties/batch", body, { "Idempotency-Key": key });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    // identical body: a re-run would have said "unchanged"
    expect(await replay.text()).toBe(firstText);
    expect(JSON.parse(firstText).data.totals.created).toBe(2);
  });

  it("records one price_change event for a price drop", async () => {
    const item = sampleItem({ price: 900000 });
    const [created] = (await batch([item])).results;
    const [dropped] = (await batch([{ ...item, price: 850000 }])).results;
    expect(dropped).toMatchObject({ outcome: "merged", id: created!.id });
    const events = await eventsOf([created!.id!]);
    expect(events.map((e) => e.type)).toEqual(["listed", "price_change"]);
    expect(events[1]).toMatchObject({
      old: { price: 900000, currency: "AUD" },
      new: { price: 850000, currency: "AUD" },
      source: "test.example",
    });
    expect((await property(created!.id!)).price).toBe(85_000_000);
  });

  it("records a sale as a status_change to sold with the sold price and date", async () => {
    const item = sampleItem({ price: 900000 });
    const [created] = (await batch([item])).results;
    await batch([{ ...item, status: "Sold", sold_price: 880000, sold_at: "2026-11-20" }]);
    const events = await eventsOf([created!.id!]);
    expect(events.map((e) => e.type)).toEqual(["listed", "status_change"]);
    expect(events[1]).toMatchObject({
      old: { status: "active" },
      new: { status: "sold", sold_price: 880000, currency: "AUD", sold_at: "2026-11-20T00:00:00.000Z" },
    });
    const row = await property(created!.id!);
    expect(row).toMatchObject({ status: "sold", sold_price: 88_000_000, price: 90_000_000 });
    expect(new Date(row.sold_at as string).toISOString()).toBe("2026-11-20T00:00:00.000Z");
  });

  it("answers a re-report of an older sale of the same listing as unchanged, without writes", async () => {
    // A parcel that sold twice, imported again: the older sale is history the source has moved past.
    const first = sampleItem({ status: "sold", price: 400000, sold_price: 400000, sold_at: "2014-06-01" });
    const later = { ...first, price: 520000, sold_price: 520000, sold_at: "2015-03-01" };
    const [created] = (await batch([first])).results;
    expect((await batch([later])).results[0]).toMatchObject({ outcome: "merged", id: created!.id });
    const before = { row: await property(created!.id!), events: await eventsOf([created!.id!]) };
    expect(before.events.map((e) => e.type)).toEqual(["listed", "sold"]);

    const again = await batch([first, later]);
    expect(again.results.map((r) => [r.outcome, r.id])).toEqual([
      ["unchanged", created!.id],
      ["unchanged", created!.id],
    ]);
    expect(await eventsOf([created!.id!])).toEqual(before.events);
    const after = await property(created!.id!);
    expect(after).toMatchObject({ sold_price: 52_000_000, updated_at: before.row.updated_at });
    expect(new Date(after.sold_at as string).toISOString()).toBe("2015-03-01T00:00:00.000Z");
  });

  it("answers an older dated report of another kind (passed in at auction, then sold) as unchanged", async () => {
    const passedIn = sampleItem({ status: "off_market", price: 700000, listed_at: "2016-05-07" });
    const sold = {
      ...passedIn,
      status: "sold",
      price: 760000,
      sold_price: 760000,
      listed_at: "2016-09-03",
      sold_at: "2016-09-03",
    };
    const [created] = (await batch([passedIn])).results;
    await batch([sold]);
    const events = await eventsOf([created!.id!]);
    expect((await batch([passedIn])).results[0]).toMatchObject({ outcome: "unchanged", id: created!.id });
    expect(await eventsOf([created!.id!])).toEqual(events);
    expect(await property(created!.id!)).toMatchObject({ status: "sold", sold_price: 76_000_000 });
  });

  it("takes an undated report seen before as a change back (asking price up again)", async () => {
    const item = sampleItem({ price: 900000 });
    const [created] = (await batch([item])).results;
    await batch([{ ...item, price: 850000 }]);
    expect((await batch([item])).results[0]).toMatchObject({ outcome: "merged", id: created!.id });
    expect((await property(created!.id!)).price).toBe(90_000_000);
    expect((await eventsOf([created!.id!])).map((e) => e.type)).toEqual(["listed", "price_change", "price_change"]);
  });

  it("records relisting and withdrawal by a source", async () => {
    const item = sampleItem();
    const [created] = (await batch([item])).results;
    await batch([{ ...item, status: "withdrawn" }]);
    await batch([{ ...item, status: "active", listed_at: "2026-11-01T00:00:00Z" }]);
    const events = await eventsOf([created!.id!]);
    expect(events.map((e) => [e.type, (e.old as Row | null)?.status, (e.new as Row).status])).toEqual([
      ["listed", undefined, "active"],
      ["withdrawn", "active", "withdrawn"],
      ["relisted", "withdrawn", "active"],
    ]);
    expect(new Date((await property(created!.id!)).listed_at as string).toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });

  it("applies repeated listings within one batch in order", async () => {
    const item = sampleItem({ price: 700000 });
    const { results } = await batch([item, { ...item, price: 650000 }]);
    expect(results.map((r) => r.outcome)).toEqual(["created", "merged"]);
    expect(results[1]!.id).toBe(results[0]!.id);
    const events = await eventsOf([results[0]!.id!]);
    expect(events.map((e) => e.type)).toEqual(["listed", "price_change"]);
  });

  it("keeps geocoded coordinates against less exact ones and takes more exact ones", async () => {
    const item = sampleItem({ location: { lat: -33.9, lng: 151.2, precision: "postcode" } });
    const [created] = (await batch([item])).results;
    const id = created!.id!;
    await batch([
      { ...item, source_url: `${item.source_url}?v=2`, location: { lat: -33.95, lng: 151.25, precision: "locality" } },
    ]);
    expect((await property(id)).lat).toBeCloseTo(-33.9, 6);
    await batch([{ ...item, location: { lat: -33.8861, lng: 151.2111, precision: "rooftop" } }]);
    expect(await property(id)).toMatchObject({ location_precision: "rooftop" });
    expect((await property(id)).lat).toBeCloseTo(-33.8861, 6);
  });

  it("stores 497 of 500 items and reports the 3 invalid ones with field-level errors", async () => {
    const items: unknown[] = Array.from({ length: 500 }, () => sampleItem());
    items[7] = { ...(items[7] as object), location: { lat: 123, lng: 151 } };
    items[250] = { ...(items[250] as object), source_url: "ftp://files.example/x" };
    items[499] = { ...(items[499] as object), price: -5, address: { city: "Nowhere", country: "Atlantis" } };
    const data = await batch(items);
    expect(data.totals).toEqual({ received: 500, created: 497, merged: 0, unchanged: 0, invalid: 3 });
    expect(data.results.map((r) => r.index)).toEqual(items.map((_, i) => i));
    const invalid = data.results.filter((r) => r.outcome === "invalid");
    expect(invalid.map((r) => r.index)).toEqual([7, 250, 499]);
    expect(invalid[0]!.errors!.map((e) => e.path)).toEqual(["location.lat"]);
    expect(invalid[1]!.errors!.map((e) => e.path)).toEqual(["source_url"]);
    expect(invalid[2]!.errors!.map((e) => e.path).sort()).toEqual(["address.country", "price"]);
    const lids = (items as Array<{ source_listing_id: string }>).map((i) => i.source_listing_id);
    const { rows } = await db().execute(
      sql`SELECT count(*)::int AS n FROM property_sources WHERE source = 'test.example' AND source_listing_id = ANY(${`{${lids.join(",")}}`}::text[])`,
    );
    expect(rows[0]!.n).toBe(497);
  });

  it("normalises units and synonyms as documented", async () => {
    const item = sampleItem({
      property_type: "Apartment/Unit",
      status: "Under Offer",
      area_living_sqm: "1,200 sq ft",
      area_land_sqm: "0.25 acres",
      price: "$1.2m",
      currency: undefined,
      address: { street: "Flat 2/15 queen st", city: "AUCKLAND", postal_code: "1010", country: "New Zealand" },
      agent_name: "Jo Bloggs",
    });
    const [result] = (await batch([item])).results;
    const row = await property(result!.id!);
    expect(row).toMatchObject({
      property_type: "apartment",
      status: "pending",
      area_living_sqm: 111.48,
      area_land_sqm: 1011.71,
      price: 120_000_000,
      currency: "NZD",
      country: "NZ",
      street: "15 Queen Street",
      unit: "2",
      city: "Auckland",
      address_full: "2/15 Queen Street, Auckland 1010",
    });
    expect(row.attributes).toMatchObject({ agent_name: "Jo Bloggs", property_type_raw: "Apartment/Unit" });
  });

  it("flags records without coordinates for geocoding through missing_fields", async () => {
    const [result] = (await batch([sampleItem({ location: undefined, year_built: undefined })])).results;
    const row = await property(result!.id!);
    expect(row.missing_fields).toEqual(["location", "year_built"]);
    expect(row.quality_score).toBeGreaterThan(0);
    expect(row.quality_score).toBeLessThan(1);
  });

  it("accepts this year's year_built (the bound is read when validating, not when the module loads)", async () => {
    const thisYear = new Date().getUTCFullYear();
    const [result] = (await batch([sampleItem({ year_built: thisYear })])).results;
    expect(result?.outcome).toBe("created");
    expect((await property(result!.id!)).year_built).toBe(thisYear);
  });
});
