import { createMessageBatch } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { insertProperty } from "../../../../test/enrichment";
import { bearerFor, call, testEnv, unique } from "../../../../test/helpers";
import { recordCrawlFailure } from "../../../pkg/crawl/consumer";
import { getSql } from "../../../pkg/db";
import { recordDeadLetter } from "../../../pkg/enrichment";
import { storeDeadMatchMessages } from "../../../pkg/saved-searches/match-dead-letters";
import { EnrichmentStatsResponseSchema } from "./get";

describe("GET /api/v1/admin/enrichment", () => {
  it("counts queued, done, failed and missing-field coverage for a source", async () => {
    const source = unique("stats-src");
    const city = unique("StatsCity");
    const sql = getSql(testEnv);
    const queued = await insertProperty({ source, city, bedrooms: null, queuedHoursAgo: 1 });
    const done = await insertProperty({ source, city, location: null, queuedHoursAgo: 3 });
    await sql.query("UPDATE properties SET enriched_at = now() WHERE id = $1", [done]);
    await insertProperty({ source, city, thumbnailUrl: null });
    await insertProperty({ source, city, status: "off_market" });
    await sql.query("UPDATE properties SET source_misses = 3 WHERE primary_source = $1 AND status = 'off_market'", [source]);
    await recordDeadLetter(testEnv, { id: crypto.randomUUID(), body: { property_id: queued, source }, attempts: 6 }, "boom");
    // The crawl consumer's record of a layout change (pkg/crawl/consumer.ts), and an ordinary crawl failure.
    await recordCrawlFailure(
      testEnv,
      { kind: "search", source, location: "x", page: 1 },
      "layout_changed: no window.jsonModel on the page",
      0,
    );
    await recordCrawlFailure(testEnv, { kind: "search", source, location: "x", page: 2 }, "http_5xx: 503", 0);

    const res = await call(`/api/v1/admin/enrichment?source=${source}`, { headers: { Authorization: await bearerFor("admin") } });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = EnrichmentStatsResponseSchema.parse(await res.json());
    expect(body.data.sources).toEqual([
      {
        source,
        active: 3,
        queued: 1,
        done: 1,
        failed: 1,
        layout_changed: 1,
        off_market_after_misses: 1,
        missing: { location: 1, bedrooms: 1, bathrooms: 0, area_living_sqm: 0, price: 0, images: 1 },
        coverage: { location: 0.667, bedrooms: 0.667, bathrooms: 1, area_living_sqm: 1, price: 1, images: 0.667 },
      },
    ]);
  });

  it("counts the stored failures of every queue, the saved-search matching dead letters among them", async () => {
    const auth = await bearerFor("admin");
    const failed = async (queue: string) => {
      const res = await call("/api/v1/admin/enrichment", { headers: { Authorization: auth } });
      expect(res.status, await res.clone().text()).toBe(200);
      const body = EnrichmentStatsResponseSchema.parse(await res.json());
      return body.data.failed_by_queue.find((q) => q.queue === queue)?.failed ?? 0;
    };
    const before = await failed("saved-search-matching");
    const message = { id: crypto.randomUUID(), timestamp: new Date(), attempts: 11, body: { ids: [crypto.randomUUID()] } };
    await storeDeadMatchMessages(createMessageBatch("saved-search-matching-dlq", [message]), testEnv);
    // Other test files may store dead letters meanwhile: at least this one more.
    expect(await failed("saved-search-matching")).toBeGreaterThanOrEqual(before + 1);
  });
});
