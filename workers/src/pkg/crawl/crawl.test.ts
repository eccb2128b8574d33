/**
 * Crawl scheduling inside workerd: the cron job only enqueues tasks sized by the schedule binding; the
 * consumer acks what worked, retries transient failures with a delay, records permanent failures, and
 * the dead-letter consumer stores what ran out of retries in failed_enrichments.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fixtures } from "../../../../connectors/test-support";
import { testEnv, unique } from "../../../test/helpers";
import type { Env } from "../../env";
import { getSql } from "../db";
import { retryDelaySeconds } from "./consumer";
import { consumeCrawlTasks, enqueueScheduledCrawls, storeDeadCrawlTasks } from "./index";

const main = fixtures.urls.main;
const site = (t: string) => ({
  source: `${t}.example.mt`,
  country: "MT",
  currency: "EUR",
  indexPages: `/jsonld/${t}/index`,
  listingPattern: "/listing/\\d+$",
});

async function failures(marker: string) {
  return (await getSql(testEnv).query(
    "SELECT queue, message, reason, attempts FROM failed_enrichments WHERE message::text LIKE $1 ORDER BY id",
    [`%${marker}%`],
  )) as Array<{ queue: string; message: Record<string, unknown>; reason: string; attempts: number }>;
}

function batchOf(queue: string, bodies: unknown[], attempts = 1) {
  return createMessageBatch(
    queue,
    bodies.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts, body })),
  );
}

describe("crawl cron", () => {
  it("enqueues one search task per configured job page, in sendBatch-sized chunks, and fetches nothing", async () => {
    const sent: unknown[][] = [];
    const queue = {
      sendBatch: async (msgs: Array<{ body: unknown }>) => void sent.push(msgs.map((m) => m.body)),
    } as unknown as Queue;
    const schedule = [
      { connector: "rightmove-co-uk", location: "property-for-sale/Archway", pages: 3, max: 10 },
      { connector: "homes-co-nz", location: "wellington" },
    ];
    const n = await enqueueScheduledCrawls({ scheduledTime: Date.parse("2026-11-25T12:30:00Z") }, {
      ...testEnv,
      CRAWL_QUEUE: queue,
      CRAWL_SCHEDULE: JSON.stringify(schedule),
    } as Env);
    expect(n).toBe(5); // 3 pages + the default 2
    expect(sent.flat()).toEqual([
      ...[1, 2, 3].map((page) => ({
        kind: "search",
        connector: "rightmove-co-uk",
        location: "property-for-sale/Archway",
        page,
        max: 10,
        run: "2026-11-25T12:30:00.000Z",
      })),
      ...[1, 2].map((page) => ({
        kind: "search",
        connector: "homes-co-nz",
        location: "wellington",
        page,
        max: 50,
        run: "2026-11-25T12:30:00.000Z",
      })),
    ]);
  });

  it("refuses a malformed schedule loudly", async () => {
    const queue = { sendBatch: async () => {} } as unknown as Queue;
    await expect(
      enqueueScheduledCrawls({ scheduledTime: 0 }, { ...testEnv, CRAWL_QUEUE: queue, CRAWL_SCHEDULE: '[{"pages": 2}]' } as Env),
    ).rejects.toThrow();
  });
});

describe("crawl consumer", () => {
  it("records a page that does not parse (and a robots.txt refusal) in failed_enrichments and acks it", async () => {
    const t = unique("c");
    const bodies = [
      { kind: "scrape", connector: "schema-org", url: `${main}/jsonld/${t}/listing/2`, base_url: main, settings: site(t) },
      { kind: "scrape", connector: "schema-org", url: `${main}/private/${t}/listing/9`, base_url: main, settings: site(t) },
      { kind: "search", connector: `no-such-connector-${t}`, location: "x", page: 1, max: 5 },
    ];
    const batch = batchOf("crawl-tasks", bodies);
    const ctx = createExecutionContext();
    await consumeCrawlTasks(batch, testEnv, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(3);
    expect(result.retryMessages).toEqual([]);
    const rows = await failures(t);
    expect(rows.map((r) => [r.queue, r.reason.split(":")[0]])).toEqual([
      ["crawl", "parse"],
      ["crawl", "robots_disallowed"],
      ["crawl", "invalid"],
    ]);
  });

  it("retries a transient failure with a delay instead of dropping it", async () => {
    const t = unique("r");
    const batch = batchOf(
      "crawl-tasks",
      [{ kind: "scrape", connector: "schema-org", url: `${main}/always503/${t}`, base_url: main, settings: site(t) }],
      2,
    );
    const ctx = createExecutionContext();
    await consumeCrawlTasks(batch, testEnv, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual([batch.messages[0]?.id]);
    // The delay grows with the attempts (30 s, 60 s, 120 s … capped at an hour).
    expect([1, 2, 3, 20].map(retryDelaySeconds)).toEqual([30, 60, 120, 3600]);
  });

  it("stores dead-lettered tasks in failed_enrichments (queue crawl)", async () => {
    const t = unique("d");
    const batch = batchOf("crawl-tasks-dlq", [{ kind: "search", connector: "rightmove-co-uk", location: t, page: 1, max: 5 }], 6);
    await storeDeadCrawlTasks(batch, testEnv);
    const rows = await failures(t);
    expect(rows).toEqual([
      {
        queue: "crawl",
        message: { kind: "search", connector: "rightmove-co-uk", location: t, page: 1, max: 5 },
        reason: "retries exhausted on crawl-tasks",
        attempts: 6,
      },
    ]);
  });
});
