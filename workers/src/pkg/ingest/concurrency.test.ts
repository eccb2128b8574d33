import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../../test/helpers";
import { db, sampleItem, uniqueStreetName } from "../../../test/listings";
import { ingestItems } from ".";

describe("concurrent batches", () => {
  it("end with one property per source listing and per address", async () => {
    const coarse = sampleItem({ address: { street: `${uniqueStreetName()} Road`, city: "Fitzroy", country: "AU" } });
    const precise = sampleItem();
    const batches = [0, 1, 2, 3].map((i) => [
      { ...coarse, price: 500000 + i },
      { ...precise, source: `agent-${i}.example`, price: 700000 + i },
    ]);
    const reports = await Promise.all(batches.map((items) => ingestItems(testEnv, items)));
    const coarseIds = new Set(reports.map((r) => r.results[0]!.id));
    const preciseIds = new Set(reports.map((r) => r.results[1]!.id));
    expect(coarseIds.size).toBe(1);
    expect(preciseIds.size).toBe(1);
    const [preciseId] = [...preciseIds];
    const { rows } = await db().execute(sql`SELECT count(*)::int AS n FROM property_sources WHERE property_id = ${preciseId!}`);
    expect(rows[0]!.n).toBe(4);
    const outcomes = reports.flatMap((r) => r.results.map((x) => x.outcome));
    expect(outcomes.filter((o) => o === "created")).toHaveLength(2);
  });

  it("merge one address sent at once with and without its postcode, and keep the same street line of other postcodes apart", async () => {
    const street = uniqueStreetName();
    const item = (source: string, postal_code: string | null, city: string) =>
      sampleItem({
        source,
        address: { street: `14 ${street} Street`, city, state: "VIC", postal_code, country: "AU" },
        location: undefined,
      });
    const reports = await Promise.all([
      ingestItems(testEnv, [item("portal-a.example", "3121", "Richmond")]),
      ingestItems(testEnv, [item("portal-b.example", null, "Richmond")]),
      ingestItems(testEnv, [item("portal-c.example", "3000", "Melbourne")]),
      ingestItems(testEnv, [item("portal-d.example", null, "Richmond")]),
    ]);
    const ids = reports.map((r) => r.results[0]!.id);
    expect(new Set([ids[0], ids[1], ids[3]]).size).toBe(1);
    expect(ids[2]).not.toBe(ids[0]);
  });
});
