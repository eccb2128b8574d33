import { beforeAll, describe, expect, it } from "vitest";
import { bulkSetupEnv, call, unique } from "../../../../test/helpers";
import { insertProperties } from "../../../../test/property-rows";
import { refreshPlaces } from "../../../pkg/places/refresh";
import { PlacesResponseSchema } from "./schema";

async function places(query: string) {
  const res = await call(`/api/v1/places?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return PlacesResponseSchema.parse(await res.json()).data;
}

async function total(filter: Record<string, string>): Promise<number> {
  const res = await call(`/api/v1/properties?${new URLSearchParams(filter)}&count=true&limit=1`);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { pagination: { total: number } }).pagination.total;
}

describe("GET /api/v1/places", () => {
  // Names of this file only: a made-up stem with an accent, two localities sharing it.
  const stem = unique("Zürichmoor").replace("-", "");
  const big = `${stem} Heights`;
  const small = `${stem} Vale`;
  beforeAll(async () => {
    await insertProperties([
      ...Array.from({ length: 3 }, (_, i) => ({
        city: big,
        state: "OR",
        country: "US",
        postal_code: "97000",
        lat: 45.5 + i / 1000,
        lng: -122.6,
      })),
      { city: small, state: "OR", country: "US", postal_code: "97000", lat: 44.1, lng: -121.3 },
      // Newcastle upon Tyne as the Land Registry writes it: full postcodes, the county as the state.
      ...Array.from({ length: 4 }, (_, i) => ({
        city: "Newcastle upon Tyne",
        state: "Tyne and Wear",
        country: "GB",
        postal_code: `NE1 ${i}AB`,
        currency: "GBP",
        lat: 54.97 + i / 1000,
        lng: -1.61,
      })),
    ]);
    // A refresh aggregates the whole gazetteer: longer than a request's database timeout.
    await refreshPlaces(bulkSetupEnv);
  }, 180_000);

  it("finds a locality with its region: Seattle WA is Seattle, Washington", async () => {
    const [first] = await places("q=Seattle%20WA");
    expect(first).toMatchObject({ kind: "locality", name: "Seattle", country: "US", region: "Washington" });
    expect(first?.label).toBe("Seattle, WA, US");
    const [w, s, e, n] = first?.bbox ?? [];
    expect(w).toBeLessThan(-122.3);
    expect(e).toBeGreaterThan(-122.3);
    expect(s).toBeLessThan(47.6);
    expect(n).toBeGreaterThan(47.6);
    expect((await places("q=seattle,%20wa"))[0]?.name).toBe("Seattle");
  });

  it("ranks places of the same name by the properties they hold: Newcastle is Newcastle upon Tyne first", async () => {
    const found = await places("q=Newcastle&limit=20");
    expect(found[0]).toMatchObject({ kind: "locality", name: "Newcastle upon Tyne", country: "GB" });
    expect(found[0]?.property_count).toBeGreaterThanOrEqual(4);
    // The other Newcastles follow (GeoNames: Australia's Newcastle, the US ones).
    expect(found.filter((p) => p.name === "Newcastle").length).toBeGreaterThan(0);
    const counts = found.filter((p) => p.name.startsWith("Newcastle") && p.kind === "locality").map((p) => p.property_count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it("is accent- and case-insensitive, tolerates a typo, and ranks by property count", async () => {
    const plain = stem.replace("ü", "u").toLowerCase();
    const found = await places(`q=${encodeURIComponent(plain)}`);
    expect(found.map((p) => p.name).slice(0, 2)).toEqual([big, small]);
    expect(found[0]).toMatchObject({ kind: "locality", country: "US", region: "OR", property_count: 3 });
    // A letter swapped in the middle of the name.
    const typo = `${plain.slice(0, 4)}${plain[5]}${plain[4]}${plain.slice(6)} heights`;
    expect((await places(`q=${encodeURIComponent(typo)}`))[0]?.name).toBe(big);
  });

  it("maps each place to the search filter that selects its properties", async () => {
    const [place] = await places(`q=${encodeURIComponent(big)}`);
    expect(place?.filter).toEqual({ city: big, state: "OR", country: "US" });
    expect(await total(place?.filter ?? {})).toBe(3);
    // A GB postcode district holds full postcodes: its filter is its box, which holds them.
    const [district] = await places("q=NE1&kind=postcode&country=GB");
    expect(district).toMatchObject({ kind: "postcode", name: "NE1", country: "GB" });
    expect(Object.keys(district?.filter ?? {})).toEqual(["bbox"]);
    expect(await total(district?.filter ?? {})).toBeGreaterThanOrEqual(4);
  });

  it("finds postcodes written as the properties write them, and regions", async () => {
    const [zip] = await places("q=98107&kind=postcode");
    expect(zip).toMatchObject({
      kind: "postcode",
      name: "98107",
      country: "US",
      filter: { postal_code: "98107", country: "US" },
    });
    expect(zip?.label).toContain("Seattle");
    const [region] = await places("q=Washington&kind=region&country=US");
    expect(region).toMatchObject({ kind: "region", name: "Washington", country: "US" });
    expect(region?.filter.country).toBe("US");
  });

  it("finds something for the keyword box's example, and the first letters typed", async () => {
    expect((await places("q=Ballard")).length).toBeGreaterThan(0);
    const found = await places(`q=${encodeURIComponent(stem.slice(0, 6))}&limit=20`);
    expect(found.map((p) => p.name)).toContain(big);
  });

  it("restricts to countries and kinds and honours the limit", async () => {
    const found = await places("q=Newcastle&country=au&limit=3");
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(3);
    expect(found.every((p) => p.country === "AU")).toBe(true);
    expect((await places("q=Newcastle&kind=region")).every((p) => p.kind === "region")).toBe(true);
    expect(await places("q=qxzjvwq")).toEqual([]);
  });
});
