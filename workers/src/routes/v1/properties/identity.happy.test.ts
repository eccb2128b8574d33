/**
 * Identity's two steps through the API (docs/ingest.md "Identity"): the exact address key first, then,
 * on a miss, the same house number on the same street name in the same country, merged only on
 * unambiguous evidence; near candidates that stay apart are reported in the result's warnings.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, postJson, sampleItem, uniqueStreetName } from "../../../../test/listings";
import { IngestBatchResponseSchema } from "./batch";

async function batch(items: unknown[]) {
  const res = await postJson("/api/v1/properties/batch", { items });
  expect(res.status, await res.clone().text()).toBe(200);
  return IngestBatchResponseSchema.parse(await res.json()).data;
}

async function one(item: unknown) {
  return (await batch([item])).results[0]!;
}

async function postcodeOf(id: string): Promise<string | null> {
  const { rows } = await db().execute(sql`SELECT postal_code, address_full FROM properties WHERE id = ${id}`);
  return (rows[0] as { postal_code: string | null }).postal_code;
}

/** A Melbourne listing as a dataset writes it, and the same address as another source writes it. */
function melbourne(street: string, overrides: Record<string, unknown> = {}) {
  return sampleItem({
    source: "dataset-a.example",
    address: { street: `14 ${street} St`, city: "Richmond", state: "VIC", postal_code: "3121", country: "AU" },
    location: undefined,
    ...overrides,
  });
}

describe("identity: the second step (no postcode, other spellings)", () => {
  it("merges the same address written with the street type in full, the state spelt out and no postcode", async () => {
    const street = uniqueStreetName();
    const first = await one(melbourne(street));
    const second = await one(
      sampleItem({
        source: "portal-b.example",
        address: { street: `14 ${street} Street`, city: "Richmond", state: "Victoria", country: "Australia" },
        location: undefined,
      }),
    );
    expect(first.outcome).toBe("created");
    expect(second).toMatchObject({ outcome: "merged", id: first.id });
    expect(second.warnings).toBeUndefined();
  });

  it("merges a unit written three ways, upper case and with trailing full stops, without a postcode", async () => {
    const street = uniqueStreetName();
    const first = await one(
      melbourne(street, {
        address: { street: `2/14 ${street} St`, city: "Richmond", state: "VIC", postal_code: "3121", country: "AU" },
      }),
    );
    for (const line of [`Unit 2, 14 ${street} Street`, `APT 2/14 ${street.toUpperCase()} ST.`, `14 ${street} St., Unit 2`]) {
      const r = await one(
        sampleItem({
          source: "portal-c.example",
          address: { street: line, city: "RICHMOND", country: "AU" },
          location: undefined,
        }),
      );
      expect(r, line).toMatchObject({ outcome: "merged", id: first.id });
    }
  });

  it("merges on the postcode when one source names the suburb and the other the city", async () => {
    const street = uniqueStreetName();
    const first = await one(melbourne(street));
    const second = await one(
      sampleItem({
        source: "portal-b.example",
        address: { street: `14 ${street} Street`, city: "Melbourne", postal_code: "3121", country: "AU" },
        location: undefined,
      }),
    );
    expect(second).toMatchObject({ outcome: "merged", id: first.id });
  });

  it("merges on coordinates a few metres apart when the localities are named differently and there is no postcode", async () => {
    const street = uniqueStreetName();
    const first = await one(melbourne(street, { location: { lat: -37.8183, lng: 144.9983 } }));
    const second = await one(
      sampleItem({
        source: "portal-b.example",
        address: { street: `14 ${street} Street`, city: "Melbourne", country: "AU" },
        location: { lat: -37.81845, lng: 144.99845 },
      }),
    );
    expect(second).toMatchObject({ outcome: "merged", id: first.id });
  });

  it("keeps another unit apart and reports the building's address as a near candidate", async () => {
    const street = uniqueStreetName();
    const first = await one(
      melbourne(street, {
        address: { street: `2/14 ${street} St`, city: "Richmond", state: "VIC", postal_code: "3121", country: "AU" },
      }),
    );
    const other = await one(
      sampleItem({
        source: "portal-b.example",
        address: { street: `3/14 ${street} Street`, city: "Richmond", country: "AU" },
        location: undefined,
      }),
    );
    expect(other.outcome).toBe("created");
    expect(other.id).not.toBe(first.id);
    expect(other.warnings).toEqual([{ code: "near_candidate", property_id: first.id, reason: "other_unit" }]);
  });

  it("keeps the building apart from one of its units (one side has a unit, the other none)", async () => {
    const street = uniqueStreetName();
    const unit = await one(
      melbourne(street, { address: { street: `2/14 ${street} St`, city: "Richmond", postal_code: "3121", country: "AU" } }),
    );
    const whole = await one(
      sampleItem({
        source: "portal-b.example",
        address: { street: `14 ${street} Street`, city: "Richmond", country: "AU" },
        location: undefined,
      }),
    );
    expect(whole.outcome).toBe("created");
    expect(whole.warnings).toEqual([{ code: "near_candidate", property_id: unit.id, reason: "other_unit" }]);
  });

  it("keeps another street type apart (St vs Ct) and reports it", async () => {
    const street = uniqueStreetName();
    const first = await one(melbourne(street));
    const court = await one(
      sampleItem({
        source: "portal-b.example",
        address: { street: `14 ${street} Ct`, city: "Richmond", country: "AU" },
        location: undefined,
      }),
    );
    expect(court.outcome).toBe("created");
    expect(court.warnings).toEqual([{ code: "near_candidate", property_id: first.id, reason: "other_street_type" }]);
  });

  it("keeps the neighbour apart, without a warning", async () => {
    const street = uniqueStreetName();
    await one(melbourne(street));
    const neighbour = await one(
      sampleItem({
        source: "portal-b.example",
        address: { street: `16 ${street} Street`, city: "Richmond", country: "AU" },
        location: undefined,
      }),
    );
    expect(neighbour.outcome).toBe("created");
    expect(neighbour.warnings).toBeUndefined();
  });

  it("keeps the same street in another suburb, another state or another postcode apart", async () => {
    const street = uniqueStreetName();
    const first = await one(melbourne(street));
    const elsewhere = [
      { street: `14 ${street} Street`, city: "Hawthorn", country: "AU" },
      { street: `14 ${street} Street`, city: "Richmond", state: "NSW", country: "AU" },
      { street: `14 ${street} Street`, city: "Richmond", postal_code: "3122", country: "AU" },
    ];
    for (const address of elsewhere) {
      const r = await one(sampleItem({ source: "portal-b.example", address, location: undefined }));
      expect(r.outcome, JSON.stringify(address)).toBe("created");
      expect(r.id).not.toBe(first.id);
    }
  });

  it("compares postcodes by their key: a ZIP+4 and its ZIP are one place, whatever the locality is called", async () => {
    const street = uniqueStreetName();
    const seattle = (source: string, line: string, city: string, postcode: string) =>
      sampleItem({
        source,
        currency: "USD",
        address: { street: `14 ${street} ${line}`, city, state: "WA", postal_code: postcode, country: "US" },
        location: undefined,
      });
    const first = await one(seattle("dataset-a.example", "St", "Seattle", "98101-1234"));
    const same = await one(seattle("portal-b.example", "Street", "Downtown Seattle", "98101"));
    const other = await one(seattle("portal-c.example", "Street", "Downtown Seattle", "98104"));
    expect(first.outcome).toBe("created");
    expect(same).toMatchObject({ outcome: "merged", id: first.id });
    expect(other.outcome).toBe("created");
    expect(other.id).not.toBe(first.id);
  });

  it("keeps another suburb of the same postcode apart (Coburg North is not Coburg 3058)", async () => {
    const street = uniqueStreetName();
    const first = await one(
      melbourne(street, {
        address: { street: `13 ${street} St`, city: "Coburg", state: "VIC", postal_code: "3058", country: "AU" },
      }),
    );
    const other = await one(
      sampleItem({
        source: "portal-b.example",
        address: { street: `13 ${street} St`, city: "Coburg North", state: "VIC", country: "AU" },
        location: undefined,
      }),
    );
    expect(other.outcome).toBe("created");
    expect(other.id).not.toBe(first.id);
  });

  it("merges a suburb without postcode into the record that named the city with the suburb's postcode", async () => {
    const street = uniqueStreetName();
    const first = await one(
      melbourne(street, {
        address: { street: `14 ${street} St`, city: "Melbourne", state: "VIC", postal_code: "3121", country: "AU" },
      }),
    );
    const suburb = await one(
      sampleItem({
        source: "portal-b.example",
        address: { street: `14 ${street} Street`, city: "Richmond", country: "AU" },
        location: undefined,
      }),
    );
    expect(suburb).toMatchObject({ outcome: "merged", id: first.id });
  });

  it("does not merge when two stored properties fit equally well, and reports both", async () => {
    const street = uniqueStreetName();
    // Two records of one address that identity cannot tell apart any more (one postcode each side of a boundary).
    const a = await one(
      melbourne(street, { address: { street: `14 ${street} St`, city: "Richmond", postal_code: "3121", country: "AU" } }),
    );
    const b = await one(
      sampleItem({
        source: "dataset-b.example",
        address: { street: `14 ${street} St`, city: "Richmond", postal_code: "3122", country: "AU" },
        location: undefined,
      }),
    );
    expect(b.id).not.toBe(a.id);
    const c = await one(
      sampleItem({
        source: "portal-c.example",
        address: { street: `14 ${street} Street`, city: "Richmond", country: "AU" },
        location: undefined,
      }),
    );
    expect(c.outcome).toBe("created");
    expect(c.warnings?.map((w) => (w.code === "near_candidate" ? [w.property_id, w.reason] : [w.code])).sort()).toEqual(
      [
        [a.id, "ambiguous"],
        [b.id, "ambiguous"],
      ].sort(),
    );
  });

  it("does not merge when precise coordinates are kilometres apart, whatever the names say", async () => {
    const street = uniqueStreetName();
    const first = await one(melbourne(street, { location: { lat: -37.8183, lng: 144.9983 } }));
    const far = await one(
      sampleItem({
        source: "portal-b.example",
        address: { street: `14 ${street} Street`, city: "Richmond", country: "AU" },
        location: { lat: -33.6, lng: 150.75 },
      }),
    );
    expect(far.outcome).toBe("created");
    expect(far.id).not.toBe(first.id);
  });

  it("merges two spellings of one new address that arrive in the same batch", async () => {
    const street = uniqueStreetName();
    const { results } = await batch([
      melbourne(street),
      sampleItem({
        source: "portal-b.example",
        address: { street: `14 ${street} Street`, city: "Richmond", state: "Victoria", country: "AU" },
        location: undefined,
      }),
    ]);
    expect(results[0]!.outcome).toBe("created");
    expect(results[1]).toMatchObject({ outcome: "merged", id: results[0]!.id });
  });
});

describe("identity: postcode backfill from the gazetteer", () => {
  it("gives a new property without a postcode the one postcode of its locality", async () => {
    const street = uniqueStreetName();
    const r = await one(
      sampleItem({
        address: { street: `14 ${street} Street`, city: "Richmond", state: "VIC", country: "AU" },
        location: undefined,
      }),
    );
    expect(await postcodeOf(r.id!)).toBe("3121");
  });

  it("leaves the postcode empty when the locality is ambiguous (a Richmond in several states, no state given)", async () => {
    const street = uniqueStreetName();
    const r = await one(
      sampleItem({ address: { street: `14 ${street} Street`, city: "Richmond", country: "AU" }, location: undefined }),
    );
    expect(await postcodeOf(r.id!)).toBeNull();
  });

  it("never replaces a postcode a source gave", async () => {
    const street = uniqueStreetName();
    const r = await one(
      sampleItem({
        address: { street: `14 ${street} Street`, city: "Richmond", state: "VIC", postal_code: "3000", country: "AU" },
        location: undefined,
      }),
    );
    expect(await postcodeOf(r.id!)).toBe("3000");
  });
});
