/**
 * End to end inside workerd: the cron fires → crawl tasks go on the real (local) queue → the consumer
 * scrapes the fixture site (CRAWL_SCHEDULE in vitest.config.ts) and submits through the Mill's batch
 * endpoint → the properties are stored with the values read by hand from the saved pages.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { expect, it } from "vitest";
import { describeWithFixtures } from "../../../../connectors/test-support";
import { testEnv } from "../../../test/helpers";
import worker from "../../index";
import { getSql } from "../db";

type Row = Record<string, unknown>;

async function propertyOf(source: string, id: string): Promise<Row | undefined> {
  const rows = (await getSql(testEnv).query(
    `SELECT p.id, p.price_minor::float8 AS price_minor, p.currency, p.bedrooms, p.bathrooms, p.status, p.listing_type, p.property_type,
            p.street, p.city, p.postal_code, p.country, p.sold_at, p.sold_price_minor::float8 AS sold_price_minor,
            ST_Y(p.location::geometry) AS lat, ST_X(p.location::geometry) AS lng
       FROM property_sources s JOIN properties p ON p.id = s.property_id
      WHERE s.source = $1 AND s.source_listing_id = $2`,
    [source, id],
  )) as Row[];
  return rows[0];
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

      const oldFord = await eventually(() => propertyOf("rightmove.co.uk", "145826930"));
      expect(oldFord).toMatchObject({
        price_minor: 190_000,
        currency: "GBP",
        bedrooms: 2,
        bathrooms: 1,
        listing_type: "rent",
        property_type: "apartment",
        street: "Old Ford Road",
        city: "London",
        postal_code: "E3",
        country: "GB",
      });
      expect(oldFord.lat).toBeCloseTo(51.53398, 5);
      expect(oldFord.lng).toBeCloseTo(-0.038932, 5);

      const sirec = await eventually(() => propertyOf("domain.com.au", "2020525007"));
      expect(sirec).toMatchObject({
        price_minor: 140_000_000,
        currency: "AUD",
        bedrooms: 4,
        bathrooms: 2,
        status: "sold",
        city: "Burleigh Heads",
        postal_code: "4220",
      });
      expect(new Date(sirec.sold_at as string).toISOString()).toBe("2026-01-13T00:00:00.000Z");
      expect(sirec.lat).toBeCloseTo(-28.119396, 5);

      // The generic schema.org site: listing pages are scraped by follow-up "scrape" tasks.
      const malta = await eventually(() => propertyOf("e2e.example.mt", "/jsonld/e2e/listing/3"));
      expect(malta).toMatchObject({ price_minor: 35_000_300, currency: "EUR", bedrooms: 2, country: "MT", city: "Sliema" });

      // Its malformed page was recorded, not dropped.
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
