import { describe, expect, it } from "vitest";
import { eventsOf, insertProperty, propertyRow } from "../../../test/enrichment";
import { testEnv, unique } from "../../../test/helpers";
import { currentDataVersion } from "../changes";
import { recordEnrichment, recordSourceMiss } from "./enrichment";

/** The clock the enrichment scheduler claims with: a request queued now, after the property's last enrichment. */
const now = () => new Date().toISOString();

describe("the ingest module's writes for the enrichment loop announce what they change", () => {
  it("a listing gone at its source: one more miss, off the market at the limit, and propertiesChanged", async () => {
    const source = unique("gone");
    const id = await insertProperty({ source, city: unique("Kew") });
    const before = await currentDataVersion(testEnv);
    await recordSourceMiss(testEnv, { propertyId: id, queuedAt: now(), offMarketAfter: 1, source });
    expect(await propertyRow(id)).toMatchObject({ status: "off_market", source_misses: 1 });
    expect((await eventsOf(id)).map((e) => e.type)).toEqual(["status_change"]);
    expect(await currentDataVersion(testEnv)).toBeGreaterThan(before);
  });

  it("a miss handled already (enriched after the request was queued) changes nothing", async () => {
    const source = unique("gone");
    const id = await insertProperty({ source, city: unique("Kew") });
    const queuedAt = new Date(Date.now() - 60_000).toISOString();
    await recordSourceMiss(testEnv, { propertyId: id, queuedAt: now(), offMarketAfter: 5, source });
    await recordSourceMiss(testEnv, { propertyId: id, queuedAt, offMarketAfter: 5, source });
    expect(await propertyRow(id)).toMatchObject({ status: "active", source_misses: 1 });
  });

  it("gap-filled values fill only what is empty, and propertiesChanged follows", async () => {
    const source = unique("fill");
    const id = await insertProperty({ source, city: unique("Kew"), bedrooms: null, bathrooms: 2 });
    const before = await currentDataVersion(testEnv);
    await recordEnrichment(testEnv, {
      propertyId: id,
      source,
      fill: { bedrooms: 4, bathrooms: 3 },
      locationPrecision: null,
      missingFields: [],
    });
    expect(await propertyRow(id)).toMatchObject({ bedrooms: 4, bathrooms: 2 });
    expect(await currentDataVersion(testEnv)).toBeGreaterThan(before);
  });
});
