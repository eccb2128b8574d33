/**
 * The gazetteer backfill (docs/geocoding.md "Gazetteer backfill") on the real database and the carried
 * GeoNames gazetteer: listings ingested without coordinates in GB, the US, NZ and AU are located at the
 * precision their postcode or locality allows, say so through the API, and nothing else is touched.
 */
import { describe, expect, it } from "vitest";
import { call, testEnv } from "../../../test/helpers";
import { postJson, sampleItem, uniqueStreetName } from "../../../test/listings";
import { IngestBatchResponseSchema } from "../../routes/v1/properties/batch";
import { PropertyDetailResponseSchema, SearchResponseSchema } from "../../routes/v1/properties/schema";
import { getSql } from "../db";
import { locateFromGazetteer } from "./backfill";

type Address = { street?: string; city?: string; state?: string; postal_code?: string; country: string };

const CURRENCY: Record<string, string> = { GB: "GBP", US: "USD", NZ: "NZD", AU: "AUD" };

/** A listing without coordinates (as the UK price-paid data and many portals give them). */
function unlocated(address: Address, extra: Record<string, unknown> = {}) {
  return sampleItem({
    source: "gazetteer-backfill.example",
    currency: CURRENCY[address.country],
    address: { street: `${10 + Math.floor(Math.random() * 80)} ${uniqueStreetName()} Road`, ...address },
    location: undefined,
    ...extra,
  });
}

async function ingest(items: unknown[]): Promise<string[]> {
  const res = await postJson("/api/v1/properties/batch", { items });
  expect(res.status, await res.clone().text()).toBe(200);
  const results = IngestBatchResponseSchema.parse(await res.json()).data.results;
  expect(results.map((r) => r.outcome)).toEqual(items.map(() => "created"));
  return results.map((r) => r.id as string);
}

async function location(id: string) {
  const res = await call(`/api/v1/properties/${id}`);
  expect(res.status).toBe(200);
  return PropertyDetailResponseSchema.parse(await res.json()).data.location;
}

describe("gazetteer backfill", () => {
  it("locates GB, US, NZ and AU listings from their postcode or locality, with the precision it has", async () => {
    const cases = {
      // A full GB postcode: its district (outward code NE1), the place named within it.
      gbPostcode: unlocated({ city: "Newcastle upon Tyne", postal_code: "NE1 6EE", country: "GB" }),
      // A ZIP+4 is its ZIP's centroid.
      usZip: unlocated({ city: "Seattle", state: "WA", postal_code: "98178-1234", country: "US" }),
      nzPostcode: unlocated({ city: "Karori", postal_code: "6012", country: "NZ" }),
      // No postcode: the locality's centroid, in its state.
      nzLocality: unlocated({ city: "Kelburn", country: "NZ" }),
      usLocality: unlocated({ city: "Tacoma", state: "WA", country: "US" }),
      auPostcode: unlocated({ city: "Surry Hills", state: "NSW", postal_code: "2010", country: "AU" }),
    };
    const ids = Object.fromEntries(
      (await ingest(Object.values(cases))).map((id, i) => [Object.keys(cases)[i] as keyof typeof cases, id]),
    ) as Record<keyof typeof cases, string>;
    // Another test file's hourly cron (scheduler.test.ts) runs the same backfill on the whole shared database
    // and may have located some of them already: what is asserted is the state after this call.
    const located = await locateFromGazetteer(testEnv, Object.values(ids));
    expect(located.postcode).toBe(0);
    expect(located.postcode_and_locality).toBeLessThanOrEqual(4);
    expect(located.locality).toBeLessThanOrEqual(2);

    const expected: Record<keyof typeof cases, { precision: string; lat: number; lng: number }> = {
      gbPostcode: { precision: "postcode", lat: 54.97, lng: -1.61 },
      usZip: { precision: "postcode", lat: 47.49, lng: -122.24 },
      nzPostcode: { precision: "postcode", lat: -41.28, lng: 174.74 },
      nzLocality: { precision: "locality", lat: -41.28, lng: 174.77 },
      usLocality: { precision: "locality", lat: 47.24, lng: -122.45 },
      auPostcode: { precision: "postcode", lat: -33.88, lng: 151.21 },
    };
    for (const [key, want] of Object.entries(expected)) {
      const loc = await location(ids[key as keyof typeof cases]);
      expect(loc, key).toMatchObject({
        precision: want.precision,
        approximate: true,
        attribution: expect.stringMatching(/GeoNames/),
      });
      // Within ~15 km of the place: a centroid, not a guess elsewhere in the country.
      expect(Math.abs((loc?.lat ?? 0) - want.lat), key).toBeLessThan(0.15);
      expect(Math.abs((loc?.lng ?? 0) - want.lng), key).toBeLessThan(0.15);
    }

    // Run again: nothing left to locate among them.
    expect(await locateFromGazetteer(testEnv, Object.values(ids))).toEqual({
      postcode_and_locality: 0,
      postcode: 0,
      locality: 0,
    });
  });

  it("falls back to the postcode's centroid when the locality is not one of the postcode's places", async () => {
    const [id] = await ingest([unlocated({ city: "Somewhere Not In NE1", postal_code: "ne1 4xy", country: "GB" })]);
    expect((await locateFromGazetteer(testEnv, [id as string])).postcode_and_locality).toBe(0);
    expect(await location(id as string)).toMatchObject({ precision: "postcode", approximate: true });
  });

  it("lifts a locality centroid to the postcode's when the postcode is known (a record stored between two steps)", async () => {
    const [id] = await ingest([unlocated({ city: "Newcastle upon Tyne", postal_code: "NE1 6EE", country: "GB" })]);
    await getSql(testEnv).query(
      "UPDATE properties SET location = ST_SetSRID(ST_MakePoint(-1.7, 55.0), 4326)::geography, location_precision = 'locality' WHERE id = $1",
      [id],
    );
    expect((await locateFromGazetteer(testEnv, [id as string])).postcode_and_locality).toBe(1);
    expect(await location(id as string)).toMatchObject({ precision: "postcode", lat: 54.9733, lng: -1.614 });
  });

  it("leaves alone what it cannot place for sure, and never replaces a point", async () => {
    const [ambiguous, unknown, sourced] = await ingest([
      // Four villages called Horsley in England, far apart: no single place.
      unlocated({ city: "Horsley", country: "GB" }),
      unlocated({ city: "Nowhere-in-particular", postal_code: "ZZ99 9ZZ", country: "GB" }),
      unlocated(
        { city: "Seattle", state: "WA", postal_code: "98103", country: "US" },
        { location: { lat: 47.66, lng: -122.34 } },
      ),
    ]);
    const ids = [ambiguous, unknown, sourced] as string[];
    expect(await locateFromGazetteer(testEnv, ids)).toEqual({ postcode_and_locality: 0, postcode: 0, locality: 0 });
    expect(await location(ambiguous as string)).toBeNull();
    expect(await location(unknown as string)).toBeNull();
    expect(await location(sourced as string)).toEqual({ lat: 47.66, lng: -122.34, precision: "source", approximate: false });
  });

  it("says in radius search results when a position is approximate", async () => {
    const city = `Gazetteer Town ${uniqueStreetName()}`;
    const [approx, exact] = await ingest([
      unlocated({ city, postal_code: "NE1 6EE", country: "GB" }),
      unlocated({ city, postal_code: "NE1 6EE", country: "GB" }, { location: { lat: 54.975, lng: -1.615 } }),
    ]);
    await locateFromGazetteer(testEnv, [approx as string]);
    const res = await call(`/api/v1/properties?city=${encodeURIComponent(city)}&near=54.97,-1.61&radius_km=5&sort=distance`);
    expect(res.status).toBe(200);
    const items = SearchResponseSchema.parse(await res.json()).data;
    expect(items.find((p) => p.id === approx)).toMatchObject({ location: { precision: "postcode", approximate: true } });
    expect(items.find((p) => p.id === approx)?.distance_km).toBeTypeOf("number");
    expect(items.find((p) => p.id === exact)).toMatchObject({ location: { precision: "source", approximate: false } });
  });
});
