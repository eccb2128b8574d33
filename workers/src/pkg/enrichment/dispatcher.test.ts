import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { EnrichmentRequest } from "../../../../connectors/contract/enrichment";
import {
  addressSearchConnector,
  addressSlug,
  eventsOf,
  failingConnector,
  insertProperty,
  listingPage,
  pageConnector,
  propertyRow,
} from "../../../test/enrichment";
import { fixtureTenant, nominatimResult } from "../../../test/fixtures";
import { testEnv, unique } from "../../../test/helpers";
import type { Env } from "../../env";
import worker from "../../index";
import { getSql } from "../db";
import { type ConnectorRegistry, connectorRegistry } from "./connectors";
import { createDeadLetterConsumer } from "./dead-letters";
import { createEnrichmentConsumer, lastError } from "./dispatcher";

/** What the scheduler does for one property: claim it and build its request. */
async function claim(id: string, source: string, sourceUrl: string, address: string, city: string): Promise<EnrichmentRequest> {
  const [row] = (await getSql(testEnv).query(
    `UPDATE properties SET enrichment_queued_at = date_trunc('milliseconds', now()) WHERE id = $1
     RETURNING to_char(enrichment_queued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS queued_at, country`,
    [id],
  )) as { queued_at: string; country: string }[];
  return {
    property_id: id,
    source,
    source_url: sourceUrl,
    country: (row as { country: string }).country.trim(),
    missing_fields: [],
    address,
    city,
    queued_at: (row as { queued_at: string }).queued_at,
  };
}

let seq = 0;
function batchOf(bodies: unknown[], attempts = 1, queue = "property-enrichment") {
  return createMessageBatch(
    queue,
    bodies.map((body) => ({ id: `msg-${++seq}-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })),
  );
}

async function deliver(registry: ConnectorRegistry, batch: MessageBatch, env: Env = testEnv) {
  const ctx = createExecutionContext();
  await createEnrichmentConsumer({ registry })(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("enrichment dispatcher: phase 1 re-scrape", () => {
  it("takes a new price from the source page through ingest and records its price_change event", async () => {
    const site = fixtureTenant("homes");
    const city = unique("Fitzroy");
    const url = `${site.base}/listing/1`;
    const id = await insertProperty({ source: "homes-au", sourceUrl: url, city, priceMinor: 70_000_000 });
    await site.setPage("/listing/1", { body: listingPage({ price: 750_000, currency: "AUD", bedrooms: 3 }) });

    const registry = connectorRegistry([pageConnector("homes-au", "AU", site.base)]);
    const batch = batchOf([await claim(id, "homes-au", url, `1 Smith Street, ${city} VIC 3065`, city)]);
    const result = await deliver(registry, batch);

    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    expect(await propertyRow(id)).toMatchObject({ price_minor: 75_000_000, source_misses: 0 });
    expect(await eventsOf(id)).toEqual([
      {
        type: "price_change",
        old: { price: 700_000, currency: "AUD" },
        new: { price: 750_000, currency: "AUD" },
        source: "homes-au",
      },
    ]);
  });

  it("counts a page that is gone toward off_market, and marks it off_market at the configured number of misses", async () => {
    const site = fixtureTenant("homes");
    const city = unique("Carlton");
    const url = `${site.base}/listing/gone`;
    const id = await insertProperty({ source: "homes-au", sourceUrl: url, city });
    const registry = connectorRegistry([pageConnector("homes-au", "AU", site.base)]);
    const env = { ...testEnv, ENRICHMENT_OFF_MARKET_AFTER_MISSES: "2" };

    const first = await deliver(registry, batchOf([await claim(id, "homes-au", url, `2 Lygon St, ${city}`, city)]), env);
    expect(first.explicitAcks).toHaveLength(1);
    expect(await propertyRow(id)).toMatchObject({ source_misses: 1, status: "active" });

    await deliver(registry, batchOf([await claim(id, "homes-au", url, `2 Lygon St, ${city}`, city)]), env);
    expect(await propertyRow(id)).toMatchObject({ source_misses: 2, status: "off_market" });
    expect(await eventsOf(id)).toEqual([
      { type: "status_change", old: { status: "active" }, new: { status: "off_market" }, source: "homes-au" },
    ]);
  });
});

describe("enrichment dispatcher: phase 2 gap-fill and geocoding", () => {
  it("fills a field missing at the source from a same-country address-search connector, never another country's", async () => {
    const site = fixtureTenant("homes");
    const au = fixtureTenant("search-au");
    const nz = fixtureTenant("search-nz");
    const city = unique("Richmond");
    const address = `7 Swan Street, ${city} VIC 3121`;
    const url = `${site.base}/listing/7`;
    const id = await insertProperty({ source: "homes-au", sourceUrl: url, city, bedrooms: null, bathrooms: null });
    // As ingest's quality step lists them; "title" is not a key field and must stay listed.
    await getSql(testEnv).query("UPDATE properties SET missing_fields = '{bathrooms,bedrooms,title}' WHERE id = $1", [id]);
    await site.setPage("/listing/7", { body: listingPage({ price: 500_000, bathrooms: 2 }) });
    await au.setPage(`/by-address/${addressSlug(address)}`, { body: listingPage({ bedrooms: 4, bathrooms: 9 }) });
    await nz.setPage(`/by-address/${addressSlug(address)}`, { body: listingPage({ bedrooms: 9 }) });

    const registry = connectorRegistry([
      pageConnector("homes-au", "AU", site.base),
      addressSearchConnector("search-nz", "NZ", nz.base),
      addressSearchConnector("search-au", "AU", au.base),
    ]);
    const result = await deliver(registry, batchOf([await claim(id, "homes-au", url, address, city)]));
    expect(result.explicitAcks).toHaveLength(1);
    // bathrooms came from the source page (phase 1) and is not overwritten by the searcher's 9.
    const row = await propertyRow(id);
    expect(row).toMatchObject({ bedrooms: 4, bathrooms: 2 });
    // The key fields are no longer listed; the others ingest's quality step lists stay.
    expect(row.missing_fields).toContain("title");
    expect(row.missing_fields).not.toContain("bedrooms");
    expect(row.missing_fields).not.toContain("bathrooms");
    expect(await nz.requests()).toEqual([]);
  });

  it("geocodes a property without coordinates through the provider chain", async () => {
    const geo = fixtureTenant("nominatim");
    const city = unique("Northcote");
    const street = `${unique("Kowhai").replace("-", "")} Street`;
    await geo.addPlace(street, nominatimResult(-37.77, 145.0, { house_number: "5", road: street }));
    const id = await insertProperty({ source: "dataset-au", city, location: null });
    const result = await deliver(
      connectorRegistry([]),
      batchOf([await claim(id, "dataset-au", "", `5 ${street}, ${city} VIC 3070`, city)]),
      { ...testEnv, NOMINATIM_URL: geo.base },
    );
    expect(result.explicitAcks).toHaveLength(1);
    expect(await propertyRow(id)).toMatchObject({ lat: -37.77, lng: 145.0, location_precision: "rooftop", missing_fields: [] });
  });
});

describe("enrichment dispatcher: failures, dead letters and redelivery", () => {
  it("retries an always-failing message with growing delays, then stores it in failed_enrichments; none is lost", async () => {
    const site = fixtureTenant("homes");
    const city = unique("Brunswick");
    const good = await Promise.all(
      [1, 2, 3].map(async (n) => {
        const url = `${site.base}/listing/${n}`;
        await site.setPage(`/listing/${n}`, { body: listingPage({ price: 600_000 + n }) });
        const id = await insertProperty({ source: "homes-au", sourceUrl: url, city });
        return claim(id, "homes-au", url, `${n} Sydney Rd, ${city}`, city);
      }),
    );
    const badId = await insertProperty({ source: "flaky-au", sourceUrl: "https://flaky.example/1", city });
    const bad = await claim(badId, "flaky-au", "https://flaky.example/1", `9 Sydney Rd, ${city}`, city);
    const registry = connectorRegistry([pageConnector("homes-au", "AU", site.base), failingConnector("flaky-au", "AU")]);

    // The queue's contract (wrangler.toml: max_retries = 5): a retried message comes back with one more
    // attempt; after the last retry it moves to the dead-letter queue with the same id and body.
    const MAX_RETRIES = 5;
    const messages = [...good, bad].map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body }));
    const acked = new Set<string>();
    const delays: number[] = [];
    const dead: typeof messages = [];
    let pending = messages;
    while (pending.length > 0) {
      const batch = createMessageBatch("property-enrichment", pending);
      const ctx = createExecutionContext();
      // The test pool reports which messages were retried but not their delay: watch retry() for it.
      const watched = {
        ...batch,
        queue: batch.queue,
        messages: batch.messages.map((m) => ({
          id: m.id,
          body: m.body,
          attempts: m.attempts,
          timestamp: m.timestamp,
          ack: () => m.ack(),
          retry: (o?: QueueRetryOptions) => {
            delays.push(o?.delaySeconds ?? 0);
            m.retry(o);
          },
        })),
      } as unknown as MessageBatch;
      await createEnrichmentConsumer({ registry })(watched, testEnv, ctx);
      const result = await getQueueResult(batch, ctx);
      for (const id of result.explicitAcks) acked.add(id);
      const retried = new Set(result.retryMessages.map((r: { msgId: string }) => r.msgId));
      const next = pending.filter((m) => retried.has(m.id)).map((m) => ({ ...m, attempts: m.attempts + 1 }));
      // attempts = 1 + retries so far: a message failing its 6th delivery has used all 5 retries.
      dead.push(...next.filter((m) => m.attempts > MAX_RETRIES + 1));
      pending = next.filter((m) => m.attempts <= MAX_RETRIES + 1);
    }
    expect(delays).toEqual([30, 60, 120, 240, 480, 960]);

    const dlq = createMessageBatch("property-enrichment-dlq", dead);
    const ctx = createExecutionContext();
    await worker.queue(dlq, testEnv, ctx);
    const dlqResult = await getQueueResult(dlq, ctx);

    expect(acked.size).toBe(3);
    expect(dlqResult.explicitAcks).toHaveLength(1);
    expect(acked.size + dlqResult.explicitAcks.length).toBe(messages.length);
    const failed = (await getSql(testEnv).query(
      "SELECT property_id, queue, reason, attempts, message FROM failed_enrichments WHERE property_id = $1",
      [badId],
    )) as { reason: string; queue: string; attempts: number; message: EnrichmentRequest }[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ queue: "property-enrichment", reason: "flaky-au: upstream timed out", message: bad });
  });

  it("changes nothing when the same batch is delivered twice", async () => {
    const site = fixtureTenant("homes");
    const search = fixtureTenant("search-au");
    const city = unique("Hawthorn");
    const urls = [1, 2, 3].map((n) => `${site.base}/listing/${n}`);
    await site.setPage("/listing/1", { body: listingPage({ price: 910_000, images: ["https://img.example/a.jpg"] }) });
    await site.setPage("/listing/2", { body: listingPage({ price: 820_000 }) });
    const ids = [
      await insertProperty({ source: "homes-au", sourceUrl: urls[0], city, priceMinor: 90_000_000 }),
      await insertProperty({ source: "homes-au", sourceUrl: urls[1], city, bedrooms: null }),
      await insertProperty({ source: "homes-au", sourceUrl: urls[2], city }), // gone
    ];
    await search.setPage(`/by-address/${addressSlug(`2 Burwood Rd, ${city}`)}`, { body: listingPage({ bedrooms: 2 }) });
    const registry = connectorRegistry([
      pageConnector("homes-au", "AU", site.base),
      addressSearchConnector("search-au", "AU", search.base),
    ]);
    const bodies = await Promise.all(
      ids.map((id, i) => claim(id, "homes-au", urls[i] as string, `${i + 1} Burwood Rd, ${city}`, city)),
    );
    const snapshot = async () => ({
      rows: await Promise.all(ids.map(propertyRow)),
      events: await Promise.all(ids.map(eventsOf)),
      images: await getSql(testEnv).query(
        "SELECT property_id, url FROM property_images WHERE property_id = ANY($1) ORDER BY url",
        [ids],
      ),
    });

    const first = await deliver(registry, batchOf(bodies));
    expect(first.explicitAcks).toHaveLength(3);
    const after = await snapshot();
    expect(after.rows.map((r) => [r.price_minor, r.bedrooms, r.source_misses])).toEqual([
      [91_000_000, 3, 0],
      [82_000_000, 2, 0],
      [50_000_000, 3, 1],
    ]);

    const second = await deliver(registry, batchOf(bodies));
    expect(second.explicitAcks).toHaveLength(3);
    expect(await snapshot()).toEqual(after);
  });

  it("acks a malformed message and records it, instead of retrying what can never succeed", async () => {
    const junk = { property_id: "not-a-uuid", hello: unique("junk") };
    const batch = batchOf([junk]);
    const result = await deliver(connectorRegistry([]), batch);
    expect(result.explicitAcks).toHaveLength(1);
    const rows = (await getSql(testEnv).query("SELECT reason FROM failed_enrichments WHERE message->>'hello' = $1", [
      junk.hello,
    ])) as { reason: string }[];
    expect(rows).toEqual([{ reason: "invalid message" }]);
  });

  it("stores a dead letter once even when the dead-letter queue redelivers it", async () => {
    const body = { property_id: crypto.randomUUID(), source: "x", note: unique("dlq") };
    const message = { id: crypto.randomUUID(), timestamp: new Date(), attempts: 6, body };
    const consumer = createDeadLetterConsumer(lastError);
    for (let i = 0; i < 2; i++) {
      const batch = createMessageBatch("property-enrichment-dlq", [message]);
      const ctx = createExecutionContext();
      await consumer(batch, testEnv, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([message.id]);
    }
    const rows = (await getSql(testEnv).query("SELECT reason FROM failed_enrichments WHERE message->>'note' = $1", [
      body.note,
    ])) as { reason: string }[];
    expect(rows).toEqual([{ reason: "retries exhausted (no error recorded)" }]);
  });
});

describe("enrichment through the real queue", () => {
  it("a request sent to ENRICHMENT_QUEUE is consumed by the Worker's dispatcher and geocodes the property", async () => {
    const street = `${unique("Rimu").replace("-", "")} Street`;
    const city = unique("Ivanhoe");
    // The Worker's own bindings point NOMINATIM_URL at the fixture server's "default-nominatim" tenant.
    await fetch(`${testEnv.FIXTURE_URL as string}/default-nominatim/__fixture/places`, {
      method: "POST",
      body: JSON.stringify([{ match: street, result: nominatimResult(-37.76, 145.04, { house_number: "3", road: street }) }]),
    });
    const id = await insertProperty({ source: "dataset-au", city, location: null });
    const request = await claim(id, "dataset-au", "", `3 ${street}, ${city} VIC 3079`, city);
    await (testEnv.ENRICHMENT_QUEUE as Queue).send(request, { contentType: "json" });

    const deadline = Date.now() + 15_000;
    let row = await propertyRow(id);
    while (row.lat === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      row = await propertyRow(id);
    }
    expect(row).toMatchObject({ lat: -37.76, lng: 145.04, location_precision: "rooftop" });
    expect(row.enriched_at).not.toBeNull();
  });
});
