import { describe, expect, it } from "vitest";
import { call, testEnv, unique } from "../../../../test/helpers";
import { insertProperty, sseReader } from "../../../../test/sse";
import { propertiesChanged } from "../../../pkg/changes";
import { getSql } from "../../../pkg/db";

describe("GET /api/v1/live", () => {
  it("streams a matching new property and a price change, and nothing that does not match", async () => {
    const city = unique("Livetown");
    const sql = getSql(testEnv);
    const res = await call(`/api/v1/live?city=${city}&min_price=400000&min_bedrooms=3&timeout=20`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = sseReader(res);
    expect((await events.next()).event).toBe("ready");

    const tooCheap = await insertProperty(sql, { city, price: 300_000, bedrooms: 4 });
    const tooSmall = await insertProperty(sql, { city, price: 500_000, bedrooms: 2 });
    const elsewhere = await insertProperty(sql, { city: unique("Elsewhere"), price: 500_000, bedrooms: 4 });
    const sold = await insertProperty(sql, { city, price: 500_000, bedrooms: 4, status: "sold" });
    const match = await insertProperty(sql, { city, price: 450_000, bedrooms: 3 });
    await propertiesChanged(
      testEnv,
      [tooCheap, tooSmall, elsewhere, sold].map((id) => ({ id, outcome: "created" as const })),
    );
    await propertiesChanged(testEnv, [{ id: match, outcome: "created" }]);

    const created = await events.next();
    expect(created.event).toBe("created");
    const item = JSON.parse(created.data);
    expect(item).toMatchObject({ id: match, price: 450_000, bedrooms: 3, status: "active", address: { city } });
    expect(item.location.lat).toBeCloseTo(47.6, 5);

    await sql.query("UPDATE properties SET price_minor = $1 WHERE id = $2", [425_000 * 100, match]);
    await propertiesChanged(testEnv, [{ id: match, outcome: "merged" }]);
    const changed = await events.next();
    expect(changed.event).toBe("changed");
    expect(JSON.parse(changed.data)).toMatchObject({ id: match, price: 425_000 });
    await events.cancel();
  });

  it("takes a status list and a bounding box", async () => {
    const city = unique("Boxville");
    const sql = getSql(testEnv);
    const res = await call(`/api/v1/live?status=sold,active&bbox=-122.5,47.5,-122.2,47.7&city=${city}&timeout=20`);
    const events = sseReader(res);
    expect((await events.next()).event).toBe("ready");
    const outside = await insertProperty(sql, { city, price: 1, lat: 40.7, lng: -74, status: "sold" });
    const inside = await insertProperty(sql, { city, price: 2, lat: 47.61, lng: -122.33, status: "sold" });
    await propertiesChanged(testEnv, [
      { id: outside, outcome: "created" },
      { id: inside, outcome: "created" },
    ]);
    expect(JSON.parse((await events.next()).data).id).toBe(inside);
    await events.cancel();
  });

  it("ends the stream after the requested timeout", async () => {
    const res = await call("/api/v1/live?timeout=1");
    const events = sseReader(res);
    expect((await events.next()).event).toBe("ready");
    await expect(events.next(4_000)).rejects.toThrow("stream ended");
  });
});
