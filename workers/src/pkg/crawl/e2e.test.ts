/**
 * End to end inside workerd: the cron fires → crawl tasks go on the real (local) queue → the consumer
 * scrapes the fixture site (CRAWL_SCHEDULE in vitest.config.ts) and submits through the Mill's batch
 * endpoint → the properties are searchable through GET /api/v1/properties and readable through
 * GET /api/v1/properties/{id}, with the values read by hand from the saved pages. Only the dead-letter
 * record of the malformed page is read from the database: the API does not show crawl failures.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { expect, it } from "vitest";
import { describeWithFixtures } from "../../../../connectors/test-support";
import { call, testEnv } from "../../../test/helpers";
import worker from "../../index";
import { getSql } from "../db";

type Row = Record<string, unknown>;
type Listed = {
  id: string;
  property_type: string;
  listing_type: string;
  status: string;
  price: number | null;
  currency: string;
  bedrooms: number | null;
  bathrooms: number | null;
  address: { street: string | null; city: string | null; state: string | null; postal_code: string | null; country: string };
  location: { lat: number; lng: number } | null;
  source: { name: string; url: string | null };
};
type Detail = Listed & {
  images: Array<{ url: string }>;
  sources: Array<{ name: string; listing_id: string }>;
  history: Array<{ type: string; new: Record<string, unknown> | null }>;
};

/** Searches the public API and picks the property whose source URL names the listing. */
async function searchFor(query: string, listing: RegExp): Promise<Listed | undefined> {
  const res = await call(`/api/v1/properties?${query}&limit=100`);
  expect(res.status, await res.clone().text()).toBe(200);
  const { data } = (await res.json()) as { data: Listed[] };
  return data.find((p) => listing.test(p.source.url ?? ""));
}

async function detailOf(id: string): Promise<Detail> {
  const res = await call(`/api/v1/properties/${id}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Detail }).data;
}

async function eventually<T>(probe: () => Promise<T | undefined>, ms = 40_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for the crawl to store the listing");
    await new Promise((r) => setTimeout(r, 500));
  }
}

// The batch endpoint comes with the ingest pipeline; until it is on the branch this suite says so.
const ingestPresent =
  (
    await worker.fetch(
      new Request("http://pillow.test/api/v1/properties/batch", { method: "POST" }),
      testEnv,
      createExecutionContext(),
    )
  ).status !== 404;
if (!ingestPresent) console.warn("skipped: POST /api/v1/properties/batch is not on this branch (ingest not merged)");

describeWithFixtures("crawl end to end", () => {
  it.skipIf(!ingestPresent)(
    "cron → queue → consumer → stored, searchable properties with hand-checked values",
    { timeout: 150_000 },
    async () => {
      const controller = createScheduledController({ scheduledTime: Date.now(), cron: "30 */6 * * *" });
      const ctx = createExecutionContext();
      await worker.scheduled(controller, testEnv, ctx);
      await waitOnExecutionContext(ctx);

      // Values read by hand from the saved pages: uk/rightmove__rent_search_london__2024.html (jsonModel,
      // property 145826930: "Old Ford Road, London, E3", £1,900 pcm, 2 bed, 1 bath, Flat, 8 images,
      // 51.53398,-0.038932) …
      const oldFordHit = await eventually(() =>
        searchFor("source=rightmove.co.uk&city=London&listing_type=rent&postal_code=E3", /\/145826930\b/),
      );
      expect(oldFordHit).toMatchObject({
        property_type: "apartment",
        listing_type: "rent",
        status: "active",
        price: 1900,
        currency: "GBP",
        bedrooms: 2,
        bathrooms: 1,
        address: { street: "Old Ford Road", city: "London", postal_code: "E3", country: "GB" },
        source: { name: "rightmove.co.uk" },
      });
      expect(oldFordHit.location?.lat).toBeCloseTo(51.53398, 5);
      expect(oldFordHit.location?.lng).toBeCloseTo(-0.038932, 5);
      const oldFord = await detailOf(oldFordHit.id);
      expect(oldFord.sources).toEqual([expect.objectContaining({ name: "rightmove.co.uk", listing_id: "145826930" })]);
      expect(oldFord.images).toHaveLength(8);
      for (const image of oldFord.images) expect(image.url).toContain("/145826930/");

      // … au/domain_com_au__sold_search_burleigh_heads__2026.next_data.json (listing 2020525007:
      // "21 Sirec Way", BURLEIGH HEADS QLD 4220, $1,400,000, 4 bed, 2 bath, House, "Sold by private
      // treaty 13 Jan 2026", -28.119396,153.42) …
      const sirecHit = await eventually(() =>
        searchFor("source=domain.com.au&city=Burleigh%20Heads&status=sold", /-2020525007$/),
      );
      expect(sirecHit).toMatchObject({
        property_type: "house",
        listing_type: "sale",
        status: "sold",
        price: 1_400_000,
        currency: "AUD",
        bedrooms: 4,
        bathrooms: 2,
        address: { street: "21 Sirec Way", city: "Burleigh Heads", state: "QLD", postal_code: "4220", country: "AU" },
      });
      expect(sirecHit.location?.lat).toBeCloseTo(-28.119396, 5);
      expect(sirecHit.location?.lng).toBeCloseTo(153.42, 5);
      const sirec = await detailOf(sirecHit.id);
      expect(sirec.history[0]).toMatchObject({
        type: "listed",
        new: { status: "sold", sold_price: 1_400_000, sold_at: "2026-01-13T00:00:00.000Z" },
      });
      expect(sirec.images.map((i) => i.url)).toContainEqual(expect.stringContaining("2020525007_1_1_260113_053542"));

      // … and the generic schema.org site (synthetic pages of the fixture server; listing pages are
      // scraped by follow-up "scrape" tasks): listing 3 is €350,003, 2 bed, 1 bath, Apartment in Sliema.
      const malta = await eventually(() =>
        searchFor("source=e2e.example.mt&country=MT&city=Sliema", /\/jsonld\/e2e\/listing\/3$/),
      );
      expect(malta).toMatchObject({
        property_type: "apartment",
        status: "active",
        price: 350_003,
        currency: "EUR",
        bedrooms: 2,
        bathrooms: 1,
        address: { street: "3 Triq e2e", city: "Sliema", country: "MT" },
        location: { lat: 35.912, lng: 14.502 },
      });

      // Its malformed page was recorded in the dead-letter table, not dropped (the API does not show it).
      const failed = await eventually(async () => {
        const rows = (await getSql(testEnv).query(
          "SELECT reason FROM failed_enrichments WHERE queue = 'crawl' AND message->>'url' LIKE '%/jsonld/e2e/listing/2'",
        )) as Row[];
        return rows.length > 0 ? rows : undefined;
      });
      expect(String(failed[0]?.reason)).toMatch(/^parse:/);
    },
  );
});
