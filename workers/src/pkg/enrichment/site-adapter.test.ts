import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { IngestItem } from "../../../../connectors/contract/item";
import { eventsOf, insertProperty, listingPage, propertyRow } from "../../../test/enrichment";
import { fixtureTenant } from "../../../test/fixtures";
import { testEnv, unique } from "../../../test/helpers";
import { crawlFetcher } from "../crawl/fetcher";
import { getSql } from "../db";
import { connectorRegistry } from "./connectors";
import { createEnrichmentConsumer } from "./dispatcher";
import { adaptSiteConnector, type EnrichingConnector } from "./site-adapter";

/** A site connector (the connector contract, contract/connector.ts): it answers whole ingest items. */
function jsonSite(name: string, country: string): EnrichingConnector {
  const read = async (url: string, identity: Partial<IngestItem> = {}): Promise<IngestItem | "gone"> => {
    const res = await fetch(url);
    if (res.status === 404) return "gone";
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const html = await res.text();
    const data = JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/s)?.[1] ?? "{}");
    return {
      ...identity,
      price: data.offers?.price,
      currency: data.offers?.priceCurrency,
      status: "pending",
      bedrooms: data.numberOfBedrooms,
      images: data.image,
    } as IngestItem;
  };
  return {
    name,
    domains: [`${name}.example`],
    country,
    async enrich(ctx, request) {
      if (!request.source_url.startsWith(ctx.baseUrl)) return { kind: "not_mine" };
      // `insertProperty` stores the property id as the listing's id at its source.
      const item = await read(request.source_url, {
        source: name,
        source_listing_id: request.property_id,
        source_url: `https://www.${name}.example${new URL(request.source_url).pathname}`,
        address: { city: request.city, country: request.country },
      } as Partial<IngestItem>);
      return item === "gone" ? { kind: "gone" } : { kind: "item", item };
    },
    async searchByAddress(ctx, address) {
      const item = await read(
        `${ctx.baseUrl}/by-address/${encodeURIComponent(address.toLowerCase().replace(/[^a-z0-9]+/g, "-"))}`,
      );
      return item === "gone" ? [] : [item];
    },
  };
}

describe("site connectors adapted to the dispatcher", () => {
  it("routes by domain, maps the item (price, status, images) and records the price change", async () => {
    const site = fixtureTenant("site");
    const city = unique("Kew");
    const url = `${site.base}/l/1`;
    await site.setPage("/l/1", { body: listingPage({ price: 1_200_000, images: ["https://img.example/1.jpg"] }) });
    const id = await insertProperty({ source: "kew-homes", sourceUrl: url, city, priceMinor: 110_000_000, thumbnailUrl: null });
    await getSql(testEnv).query("UPDATE properties SET enrichment_queued_at = date_trunc('milliseconds', now()) WHERE id = $1", [
      id,
    ]);
    const [row] = (await getSql(testEnv).query(
      `SELECT to_char(enrichment_queued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS q FROM properties WHERE id = $1`,
      [id],
    )) as { q: string }[];

    const connector = adaptSiteConnector(
      jsonSite("kew-homes", "AU"),
      { baseUrl: site.base, fetcher: crawlFetcher(testEnv) },
      site.base,
    );
    expect(connector.ownsUrl("https://www.kew-homes.example/listing/9")).toBe(true);
    expect(connector.ownsUrl("https://elsewhere.example/listing/9")).toBe(false);

    const batch = createMessageBatch("property-enrichment", [
      {
        id: crypto.randomUUID(),
        timestamp: new Date(),
        attempts: 1,
        body: {
          property_id: id,
          source: "kew-homes",
          source_url: url,
          country: "AU",
          missing_fields: ["images"],
          address: `1 High St, ${city}`,
          city,
          queued_at: row?.q,
        },
      },
    ]);
    const ctx = createExecutionContext();
    await createEnrichmentConsumer({ registry: () => connectorRegistry([connector]) })(batch, testEnv, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    expect(await propertyRow(id)).toMatchObject({
      price_minor: 120_000_000,
      status: "pending",
      thumbnail_url: "https://img.example/1.jpg",
    });
    expect((await eventsOf(id)).map((e) => e.type).sort()).toEqual(["price_change", "status_change"]);
  });
});
