/**
 * The production registry end to end: the real homes.co.nz connector (through the site adapter and the
 * crawl fetcher built from the bindings) re-scrapes a listing from the fixture web server, and the
 * dispatcher writes it through the ingest pipeline. Only the site's origin differs from production
 * (`baseUrls`); the listing keeps its canonical homes.co.nz URL.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { eventsOf, propertyRow } from "../../../test/enrichment";
import { fixtureTenant } from "../../../test/fixtures";
import { testEnv, unique } from "../../../test/helpers";
import { getSql } from "../db";
import { ingestItems } from "../ingest";
import { createEnrichmentConsumer } from "./dispatcher";
import { productionRegistry, siteConnectorRegistry } from "./registry";

function homesRecord(id: string, path: string, street: string, price: number, bedrooms: number) {
  return {
    id,
    state: 1, // for sale
    url: path,
    display_address: `${street}, Karori, Wellington`,
    price: String(price),
    num_bedrooms: bedrooms,
    num_bathrooms: 1,
    lat: -41.285,
    long: 174.74,
  };
}

describe("enrichment: production registry", () => {
  it("routes real site connectors by their domains, with those that search by address per country", () => {
    const registry = productionRegistry(testEnv);
    expect(registry.ownerOf("homes.co.nz", "https://homes.co.nz/wellington/karori/1-a-street/abc")?.source).toBe("homes-co-nz");
    expect(registry.ownerOf("rightmove.co.uk", "https://www.rightmove.co.uk/properties/1")?.source).toBe("rightmove-co-uk");
    expect(registry.ownerOf("nobody.example", "https://nobody.example/x")).toBeUndefined();
    expect(registry.addressSearchers("AU").map((c) => c.source)).toContain("domain-com-au");
  });

  it("re-scrapes a homes.co.nz listing from the site and writes it through ingest", { timeout: 30_000 }, async () => {
    const site = fixtureTenant("homes-prod");
    const listingId = unique("homes");
    const street = `${Math.floor(Math.random() * 900) + 10} ${unique("Karori Road").replace(/[^A-Za-z ]/g, "")}`;
    const path = `/wellington/karori/${listingId}`;
    const canonical = `https://homes.co.nz${path}`;

    // The listing as first crawled, stored through ingest like any crawled item.
    const first = await ingestItems(testEnv, [
      {
        source: "homes.co.nz",
        source_listing_id: listingId,
        source_url: canonical,
        property_type: "house",
        listing_type: "sale",
        status: "active",
        price: 800_000,
        currency: "NZD",
        bedrooms: 3,
        bathrooms: 1,
        address: { street, city: "Wellington", country: "NZ" },
        location: { lat: -41.285, lng: 174.74 },
      },
    ]);
    const propertyId = first.results[0]?.id as string;
    expect(first.results[0]?.outcome).toBe("created");

    // The site now shows a lower price and one more bedroom.
    await site.setPage(path, {
      contentType: "application/json",
      body: JSON.stringify(homesRecord(listingId, path, street, 750_000, 4)),
    });

    const [claimed] = (await getSql(testEnv).query(
      `UPDATE properties SET enrichment_queued_at = date_trunc('milliseconds', now()) WHERE id = $1
       RETURNING to_char(enrichment_queued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS queued_at`,
      [propertyId],
    )) as { queued_at: string }[];
    const body = {
      property_id: propertyId,
      source: "homes.co.nz",
      source_url: canonical,
      country: "NZ",
      missing_fields: [],
      address: street,
      city: "Wellington",
      queued_at: claimed?.queued_at,
    };
    const batch = createMessageBatch("property-enrichment", [
      { id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body },
    ]);
    const ctx = createExecutionContext();
    const consumer = createEnrichmentConsumer({
      registry: (env) => siteConnectorRegistry(env, { baseUrls: { "homes-co-nz": site.base } }),
    });
    await consumer(batch, testEnv, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(1);

    // The fetch went to the site, by the connector's polite fetcher.
    const requests = await site.requests();
    expect(requests.some((r) => r.path.endsWith(path))).toBe(true);

    const row = await propertyRow(propertyId);
    expect(row.price_minor).toBe(75_000_000);
    expect(row.bedrooms).toBe(4);
    expect(row.status).toBe("active");
    expect(row.source_misses).toBe(0);
    expect(row.enriched_at).not.toBeNull();

    // One history event, ingest's (its events carry major units; the enrichment statement's would not).
    const events = (await eventsOf(propertyId)).filter((e) => e.type === "price_change");
    expect(events).toHaveLength(1);
    expect(events[0]?.source).toBe("homes.co.nz");
    expect(events[0]?.new).toMatchObject({ price: 750_000, currency: "NZD" });
  });
});
