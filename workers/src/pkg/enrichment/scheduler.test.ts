import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { EnrichmentRequest } from "../../../../connectors/contract/enrichment";
import { insertProperty, propertyRow } from "../../../test/enrichment";
import { testEnv, unique } from "../../../test/helpers";
import worker from "../../index";
import { scheduleEnrichment } from "./scheduler";

/** A queue producer that keeps what it is sent (the consumer side is tested with the real queue elsewhere). */
function recordingQueue(options: { failing?: boolean } = {}) {
  const sent: EnrichmentRequest[] = [];
  const queue = {
    async send(body: unknown) {
      sent.push(body as EnrichmentRequest);
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      if (options.failing) throw new Error("Too Many Requests");
      for (const m of messages) sent.push(m.body as EnrichmentRequest);
    },
  } as unknown as Queue;
  return { queue, sent };
}

/** Every run may also pick other test files' properties: assertions look at ours only. */
const ours = (sent: EnrichmentRequest[], ids: string[]) => sent.filter((m) => ids.includes(m.property_id));

async function runCron(queue: Queue) {
  const ctx = createExecutionContext();
  const controller = createScheduledController({ cron: "0 * * * *", scheduledTime: new Date() });
  await worker.scheduled(controller, { ...testEnv, ENRICHMENT_QUEUE: queue, ENRICHMENT_MAX_PER_RUN: "100000" }, ctx);
  await waitOnExecutionContext(ctx);
}

describe("enrichment scheduler (hourly cron)", () => {
  it("queues exactly the eligible properties once; a second run within 24 h queues none of them", async () => {
    const city = unique("Sched");
    const base = { source: "fixture-homes", city, sourceUrl: `https://homes.example/${city}` };
    const eligible = {
      missingBedrooms: await insertProperty({ ...base, bedrooms: null }),
      missingCoordinates: await insertProperty({ ...base, location: null }),
      stale: await insertProperty({ ...base, lastSeenDaysAgo: 30 }),
      cooledOff: await insertProperty({ ...base, priceMinor: null, queuedHoursAgo: 25 }),
      noImages: await insertProperty({ ...base, thumbnailUrl: null }),
    };
    const notEligible = {
      complete: await insertProperty(base),
      sold: await insertProperty({ ...base, status: "sold", bedrooms: null }),
      recentlyQueued: await insertProperty({ ...base, bedrooms: null, queuedHoursAgo: 2 }),
    };
    const all = [...Object.values(eligible), ...Object.values(notEligible)];

    // Two runs at once (an overlapping cron) still queue each property once.
    const a = recordingQueue();
    const b = recordingQueue();
    await Promise.all([runCron(a.queue), runCron(b.queue)]);
    const first = ours([...a.sent, ...b.sent], all);
    expect(first.map((m) => m.property_id).sort()).toEqual(Object.values(eligible).sort());

    const msg = first.find((m) => m.property_id === eligible.missingBedrooms) as EnrichmentRequest;
    const row = await propertyRow(eligible.missingBedrooms);
    expect(msg).toMatchObject({
      source: "fixture-homes",
      source_url: base.sourceUrl,
      country: "AU",
      city,
      missing_fields: ["bedrooms"],
    });
    expect(msg.address).toContain(city);
    expect(new Date(msg.queued_at).getTime()).toBe(new Date(row.enrichment_queued_at as string).getTime());
    expect(first.find((m) => m.property_id === eligible.missingCoordinates)?.missing_fields).toEqual(["location"]);
    expect(first.find((m) => m.property_id === eligible.stale)?.missing_fields).toEqual([]);
    expect(first.find((m) => m.property_id === eligible.noImages)?.missing_fields).toEqual(["images"]);

    const again = recordingQueue();
    await runCron(again.queue);
    expect(ours(again.sent, all)).toEqual([]);
  });

  it("releases its claims when the queue refuses the batch, so the next run queues them", async () => {
    const city = unique("SchedFail");
    const id = await insertProperty({
      source: "fixture-homes",
      city,
      sourceUrl: `https://homes.example/${city}`,
      bedrooms: null,
    });
    const broken = recordingQueue({ failing: true });
    const result = await scheduleEnrichment({ ...testEnv, ENRICHMENT_MAX_PER_RUN: "100000" }, broken.queue);
    expect(result.released).toBe(result.claimed);
    expect((await propertyRow(id)).enrichment_queued_at).toBeNull();

    const working = recordingQueue();
    await scheduleEnrichment({ ...testEnv, ENRICHMENT_MAX_PER_RUN: "100000" }, working.queue);
    expect(ours(working.sent, [id])).toHaveLength(1);
  });
});
