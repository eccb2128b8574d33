import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call } from "../../../../test/helpers";
import { db, postJson, sampleItem, serviceBearer } from "../../../../test/listings";

async function expectError(res: Response, status: number, code: string) {
  expect(res.status, await res.clone().text()).toBe(status);
  const body = (await res.json()) as { success: boolean; error: { code: string; message: string; request_id: string } };
  expect(body.success).toBe(false);
  expect(body.error.code).toBe(code);
  expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
  return body;
}

async function stored(item: { source_listing_id: string }): Promise<number> {
  const { rows } = await db().execute(
    sql`SELECT count(*)::int AS n FROM property_sources WHERE source = 'test.example' AND source_listing_id = ${item.source_listing_id}`,
  );
  return rows[0]!.n as number;
}

async function raw(body: BodyInit, headers: Record<string, string>) {
  return call("/api/v1/properties/batch", {
    method: "POST",
    headers: { Authorization: await serviceBearer(), ...headers },
    body,
  });
}

describe("POST /api/v1/properties/batch rejects bad requests without writing anything", () => {
  it("answers malformed JSON with 400", async () => {
    const item = sampleItem();
    const text = JSON.stringify({ items: [item] });
    const err = await expectError(await raw(text.slice(0, -5), { "Content-Type": "application/json" }), 400, "VALIDATION_FAILED");
    expect(err.error.message).toMatch(/malformed json/i);
    expect(await stored(item)).toBe(0);
  });

  it("answers a non-JSON content type with 415", async () => {
    const item = sampleItem();
    await expectError(
      await raw(JSON.stringify({ items: [item] }), { "Content-Type": "text/plain" }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    await expectError(
      await raw(JSON.stringify({ items: [item] }), { "Content-Type": "application/x-www-form-urlencoded" }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    expect(await stored(item)).toBe(0);
  });

  it("answers 501 items with 413 and stores none of them", async () => {
    const items = Array.from({ length: 501 }, () => sampleItem());
    const body = await expectError(await postJson("/api/v1/properties/batch", { items }), 413, "PAYLOAD_TOO_LARGE");
    expect(body.error.message).toContain("500");
    expect(await stored(items[0]!)).toBe(0);
    expect(await stored(items[500]!)).toBe(0);
  });

  it("answers a body over 5 MB with 413", async () => {
    const item = sampleItem({ description: "x".repeat(10_000) });
    const items = Array.from({ length: 520 }, () => item);
    await expectError(await postJson("/api/v1/properties/batch", { items }), 413, "PAYLOAD_TOO_LARGE");
    expect(await stored(item)).toBe(0);
  });

  it.each([
    ["no items", {}],
    ["items that are not an array", { items: "nope" }],
    ["an empty batch", { items: [] }],
    ["a body that is an array", [sampleItem()]],
  ])("answers %s with 400 naming the field", async (_, body) => {
    const res = await postJson("/api/v1/properties/batch", body);
    const err = await expectError(res, 400, "VALIDATION_FAILED");
    expect(err.error.message).toMatch(/items|request/);
  });

  it("answers a reused Idempotency-Key with a different body with 422", async () => {
    const key = crypto.randomUUID();
    const first = await postJson("/api/v1/properties/batch", { items: [sampleItem()] }, { "Idempotency-Key": key });
    expect(first.status).toBe(200);
    const other = sampleItem();
    await expectError(
      await postJson("/api/v1/properties/batch", { items: [other] }, { "Idempotency-Key": key }),
      422,
      "UNPROCESSABLE",
    );
    expect(await stored(other)).toBe(0);
  });

  it("answers a malformed Idempotency-Key with 400", async () => {
    await expectError(
      await postJson("/api/v1/properties/batch", { items: [sampleItem()] }, { "Idempotency-Key": "has spaces in it" }),
      400,
      "BAD_REQUEST",
    );
  });

  it("keeps Idempotency-Keys apart per caller", async () => {
    const key = crypto.randomUUID();
    const { bearerFor } = await import("../../../../test/helpers");
    expect((await postJson("/api/v1/properties/batch", { items: [sampleItem()] }, { "Idempotency-Key": key })).status).toBe(200);
    const other = await postJson(
      "/api/v1/properties/batch",
      { items: [sampleItem()] },
      { "Idempotency-Key": key, Authorization: await bearerFor("admin") },
    );
    expect(other.status).toBe(200);
    expect(other.headers.get("Idempotent-Replayed")).toBeNull();
  });
});

describe("POST /api/v1/properties/batch reports each invalid item with field-level errors", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["a missing source", { source: undefined }, "source"],
    ["a missing source listing id", { source_listing_id: undefined }, "source_listing_id"],
    ["a non-http source URL", { source_url: "javascript:alert(1)" }, "source_url"],
    ["latitude out of range", { location: { lat: -91, lng: 0 } }, "location.lat"],
    ["longitude out of range", { location: { lat: 10, lng: 181 } }, "location.lng"],
    ["null island", { location: { lat: 0, lng: 0 } }, "location.lat"],
    ["a negative price", { price: -1 }, "price"],
    ["an absurd price", { price: 1e15 }, "price"],
    // "Call agent" is a price statement (price_qualifier contact_agent, no price); words that say nothing of a price are not.
    ["a price that is not one", { price: "three bedrooms" }, "price"],
    ["a fractional bedroom count", { bedrooms: 2.5 }, "bedrooms"],
    ["too many bedrooms", { bedrooms: 1000 }, "bedrooms"],
    ["a negative area", { area_living_sqm: -10 }, "area_living_sqm"],
    ["an area in unknown units", { area_living_sqm: "12 furlongs" }, "area_living_sqm"],
    ["a year in the future", { year_built: 2999 }, "year_built"],
    ["an unknown country", { address: { city: "Springfield", country: "Freedonia" } }, "address.country"],
    ["an unknown currency", { currency: "XYZ" }, "currency"],
    ["an unknown status", { status: "teleported" }, "status"],
    ["an unknown listing type", { listing_type: "swap" }, "listing_type"],
    ["a listing date in the future", { listed_at: "2999-01-01T00:00:00Z" }, "listed_at"],
    ["a date that is not ISO 8601", { listed_at: "01/02/2026" }, "listed_at"],
    ["a non-http image URL", { images: ["ftp://x.example/a.jpg"] }, "images.0"],
    ["neither an address line nor coordinates", { address: { country: "AU" }, location: undefined }, "address"],
    ["a title over 500 characters", { title: "t".repeat(501) }, "title"],
    ["an item that is not an object", { __replace: 42 }, ""],
  ];

  it.each(cases)("rejects %s", async (_, patch, path) => {
    const good = sampleItem();
    const bad = "__replace" in patch ? patch.__replace : { ...sampleItem(), ...patch };
    const res = await postJson("/api/v1/properties/batch", { items: [good, bad] });
    expect(res.status, await res.clone().text()).toBe(200);
    const { data } = (await res.json()) as {
      data: { results: Array<{ outcome: string; errors?: Array<{ path: string; message: string }> }> };
    };
    expect(data.results[0]!.outcome).toBe("created");
    expect(data.results[1]!.outcome).toBe("invalid");
    expect(data.results[1]!.errors!.map((e) => e.path)).toContain(path);
    expect(await stored(good)).toBe(1);
  });
});
