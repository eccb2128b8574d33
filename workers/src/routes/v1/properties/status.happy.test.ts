/**
 * Status and price from all sources (docs/ingest.md "Status and price from all sources"): each source
 * listing's latest report counts, not whichever arrived last.
 */
import { describe, expect, it } from "vitest";
import { call } from "../../../../test/helpers";
import { postJson, sampleItem, uniqueStreetName } from "../../../../test/listings";
import { IngestBatchResponseSchema } from "./batch";
import { PropertyDetailResponseSchema } from "./schema";

async function send(item: unknown) {
  const res = await postJson("/api/v1/properties/batch", { items: [item] });
  expect(res.status, await res.clone().text()).toBe(200);
  return IngestBatchResponseSchema.parse(await res.json()).data.results[0]!;
}

async function detail(id: string) {
  const res = await call(`/api/v1/properties/${id}`);
  expect(res.status).toBe(200);
  return PropertyDetailResponseSchema.parse(await res.json()).data;
}

/** One address as `source` lists it. */
function listing(street: string, source: string, overrides: Record<string, unknown> = {}) {
  return sampleItem({ source, address: { street, city: "Surry Hills", postal_code: "2010", country: "AU" }, ...overrides });
}

describe("status and price from all sources", () => {
  it("keeps a property four sources list active when an unrelated source reports it withdrawn (at price 1)", async () => {
    const street = `7 ${uniqueStreetName()} St`;
    const first = await send(listing(street, "agency-1.example", { price: 900000 }));
    for (const source of ["portal-2.example", "portal-3.example", "agency-4.example"])
      await send(listing(street, source, { price: 900000 }));
    const withdrawn = await send(listing(street, "unrelated.example", { status: "withdrawn", price: 1 }));
    expect(withdrawn).toMatchObject({ id: first.id });

    const p = await detail(first.id!);
    expect(p).toMatchObject({ status: "active", price: 900000 });
    expect(p.history.some((e) => e.type === "withdrawn" || e.type === "status_change")).toBe(false);
    expect(p.sources.find((s) => s.name === "unrelated.example")?.status).toBe("withdrawn");
  });

  it("is sold when a source reports a sale dated after every active report, with that source on the event", async () => {
    const street = `9 ${uniqueStreetName()} St`;
    const first = await send(listing(street, "agency-1.example"));
    await send(listing(street, "portal-2.example"));
    // Sold "now": after the two active reports were seen.
    await send(listing(street, "registry.example", { status: "sold", sold_price: 950000, sold_at: new Date().toISOString() }));
    const p = await detail(first.id!);
    expect(p.status).toBe("sold");
    expect(p.history.find((e) => e.type === "status_change")).toMatchObject({
      source: "registry.example",
      new: { status: "sold" },
    });
  });

  it("does not end a listing active today with a sale from years ago (a dataset of old sales)", async () => {
    const street = `11 ${uniqueStreetName()} St`;
    const first = await send(listing(street, "agency-1.example", { price: 1200000 }));
    await send(listing(street, "old-sales.example", { status: "sold", price: 400000, sold_at: "2015-03-01" }));
    expect(await detail(first.id!)).toMatchObject({ status: "active", price: 1200000 });
  });

  it("goes off the market only when no source lists it any more", async () => {
    const street = `13 ${uniqueStreetName()} St`;
    const a = listing(street, "agency-1.example");
    const b = listing(street, "portal-2.example");
    const first = await send(a);
    await send(b);
    await send({ ...a, status: "withdrawn" });
    expect((await detail(first.id!)).status).toBe("active");
    await send({ ...b, status: "off_market" });
    expect((await detail(first.id!)).status).toBe("off_market");
  });
});
