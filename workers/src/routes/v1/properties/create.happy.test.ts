import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../../../test/helpers";
import { db, postJson, sampleItem } from "../../../../test/listings";
import { currentDataVersion } from "../../../pkg/changes";
import { CreatePropertyResponseSchema } from "./create";

type Row = Record<string, unknown>;

async function property(id: string): Promise<Row> {
  const rows = await db().execute(
    sql`SELECT *, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lng FROM properties WHERE id = ${id}`,
  );
  return rows.rows[0] as Row;
}

async function events(id: string): Promise<Row[]> {
  return (await db().execute(sql`SELECT type, old, new, source FROM property_events WHERE property_id = ${id} ORDER BY id`))
    .rows as Row[];
}

describe("POST /api/v1/properties", () => {
  it("creates a property (201) with a listed event, its source, images and quality", async () => {
    const item = sampleItem();
    const res = await postJson("/api/v1/properties", item);
    expect(res.status, await res.clone().text()).toBe(201);
    const body = CreatePropertyResponseSchema.parse(await res.json());
    expect(body.data.outcome).toBe("created");
    const row = await property(body.data.id);
    expect(row).toMatchObject({ status: "active", property_type: "house", country: "AU", currency: "AUD", city: "Surry Hills" });
    expect(Number(row.price_minor)).toBe(85_000_000);
    expect(row.lat).toBeCloseTo(-33.8861, 6);
    expect(row.quality_score).toBeGreaterThan(0.9);
    expect(row.missing_fields).toEqual([]);
    expect(await events(body.data.id)).toEqual([
      { type: "listed", old: null, new: { status: "active", price: 850000, currency: "AUD" }, source: "test.example" },
    ]);
    const sources = await db().execute(
      sql`SELECT source, source_listing_id FROM property_sources WHERE property_id = ${body.data.id}`,
    );
    expect(sources.rows).toEqual([{ source: "test.example", source_listing_id: item.source_listing_id }]);
    const images = await db().execute(
      sql`SELECT url, position FROM property_images WHERE property_id = ${body.data.id} ORDER BY position`,
    );
    expect(images.rows.map((r) => r.url)).toEqual(item.images);
  });

  it("answers 200 unchanged for an identical re-submission and 200 merged for a change", async () => {
    const item = sampleItem();
    const first = CreatePropertyResponseSchema.parse(await (await postJson("/api/v1/properties", item)).json());
    const again = await postJson("/api/v1/properties", item);
    expect(again.status).toBe(200);
    expect((await again.json()) as unknown).toEqual({ success: true, data: { id: first.data.id, outcome: "unchanged" } });
    const changed = await postJson("/api/v1/properties", { ...item, bedrooms: 4 });
    expect(changed.status).toBe(200);
    expect((await changed.json()) as unknown).toEqual({ success: true, data: { id: first.data.id, outcome: "merged" } });
    expect((await property(first.data.id)).bedrooms).toBe(4);
  });

  it("bumps the cache data version after a write", async () => {
    const before = await currentDataVersion(testEnv);
    expect((await postJson("/api/v1/properties", sampleItem())).status).toBe(201);
    expect(await currentDataVersion(testEnv)).toBeGreaterThan(before);
  });
});
