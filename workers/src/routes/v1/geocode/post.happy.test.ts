import { describe, expect, it } from "vitest";
import { fixtureTenant, nominatimResult } from "../../../../test/fixtures";
import { bearerFor, callWithEnv, unique } from "../../../../test/helpers";
import { GeocodeResponseSchema } from "./post";

async function geocodeVia(nominatimUrl: string | undefined, address: string, extra: Record<string, unknown> = {}) {
  const res = await callWithEnv(
    "/api/v1/geocode",
    { NOMINATIM_URL: nominatimUrl },
    {
      method: "POST",
      headers: { Authorization: await bearerFor("user"), "Content-Type": "application/json" },
      body: JSON.stringify({ address, ...extra }),
    },
  );
  expect(res.status, await res.clone().text()).toBe(200);
  return GeocodeResponseSchema.parse(await res.json()).data;
}

/** A street name no other test uses, so the fixture's substring match is ours alone. */
const street = () => `${unique("Kowhai").replace("-", "")} Street`;

describe("POST /api/v1/geocode with the provider up", () => {
  it('answers the original Mill\'s shape (docs/geocoding.md "Compatibility with the original Mill") plus rooftop coordinates', async () => {
    const t = fixtureTenant("geo");
    const name = street();
    await t.addPlace(name, nominatimResult(37.7793, -122.4193, { house_number: "123", road: name, city: "San Francisco" }));
    const data = await geocodeVia(t.base, `123 ${name}, San Francisco, CA 94102`);
    expect(data).toMatchObject({
      status: "OK",
      components: {
        street_number: "123",
        street_name: name,
        city: "San Francisco",
        state: "California",
        postal_code: "94102",
        country: "United States",
      },
      raw_input: `123 ${name}, San Francisco, CA 94102`,
      location: { lat: 37.7793, lng: -122.4193 },
      precision: "rooftop",
      provider: "nominatim",
      cached: false,
    });
    expect(data.fallback_reason).toBeUndefined();
    const [req] = await t.requests();
    expect(req?.userAgent).toMatch(/^Pillow-Mill\//);
    expect(req?.query).toMatchObject({ format: "jsonv2", countrycodes: "us", limit: "1" });
  });

  it("answers a repeated address from the cache without asking the provider again", async () => {
    const t = fixtureTenant("geo");
    const name = street();
    await t.addPlace(name, nominatimResult(-41.29, 174.77, { road: name, city: "Wellington" }, "road"));
    const first = await geocodeVia(t.base, `${name}, Te Aro, Wellington 6011`);
    const second = await geocodeVia(t.base, `${name}, Te Aro, Wellington 6011`);
    expect(first).toMatchObject({ precision: "street", cached: false });
    expect(second).toMatchObject({ status: "OK", location: first.location, provider: "nominatim", cached: true });
    expect(await t.requests()).toHaveLength(1);
  });
});

describe("POST /api/v1/geocode falling back to the gazetteer", () => {
  it("answers from the AU gazetteer with low precision when the provider is down", async () => {
    const t = fixtureTenant("geo");
    await t.setNominatimMode("down");
    const data = await geocodeVia(t.base, `2/14 ${street()}, Fitzroy VIC 3065`);
    expect(data).toMatchObject({
      status: "OK",
      provider: "gazetteer",
      precision: "postcode",
      fallback_reason: "provider_unavailable",
    });
    expect(data.location?.lat).toBeCloseTo(-37.8, 1);
    expect(data.location?.lng).toBeCloseTo(144.98, 1);
    expect(data.attribution).toMatch(/GeoNames/);
    expect(await t.requests()).toHaveLength(1);
  });

  it("falls back when the provider cannot be reached at all", async () => {
    const data = await geocodeVia("http://127.0.0.1:9/", `9 ${street()}, Perth WA 6000`);
    expect(data).toMatchObject({
      provider: "gazetteer",
      fallback_reason: "provider_unavailable",
      components: { state: "Western Australia" },
    });
    expect(data.location?.lat).toBeCloseTo(-31.95, 1);
  });

  it("uses the gazetteer alone when no provider is configured, down to a locality", async () => {
    const data = await geocodeVia(undefined, `${street()}, Ballarat, Victoria`);
    expect(data).toMatchObject({ provider: "gazetteer", precision: "locality", fallback_reason: "provider_not_configured" });
    expect(data.location?.lat).toBeCloseTo(-37.56, 1);
  });

  it("asks the gazetteer when the provider finds nothing, and answers ZERO_RESULTS when neither knows", async () => {
    const t = fixtureTenant("geo");
    const au = await geocodeVia(t.base, `1 ${street()}, Fitzroy VIC 3065`);
    expect(au).toMatchObject({ status: "OK", provider: "gazetteer", fallback_reason: "provider_no_result" });
    // Another tenant: this one's one-per-second slot was just used.
    // Malta has no carried gazetteer (docs/geocoding.md "The gazetteer").
    const mt = await geocodeVia(fixtureTenant("geo").base, `12, ${street()}, Mosta MST 1234, Malta`);
    expect(mt).toMatchObject({ status: "ZERO_RESULTS", location: null, provider: null, fallback_reason: "provider_no_result" });
  });

  it("answers NZ addresses from the carried GeoNames postcodes", async () => {
    const data = await geocodeVia(undefined, `45 ${street()}, Te Aro, Wellington 6011`);
    expect(data).toMatchObject({
      status: "OK",
      provider: "gazetteer",
      precision: "postcode",
      components: { country_code: "NZ" },
      attribution: expect.stringMatching(/GeoNames/),
    });
    expect(data.location?.lat).toBeCloseTo(-41.29, 1);
  });

  it("answers a full GB postcode from its district and a US ZIP+4 from its ZIP", async () => {
    const gb = await geocodeVia(undefined, `Flat 2, 14 ${street()}, Newcastle upon Tyne NE1 6EE, United Kingdom`);
    expect(gb).toMatchObject({ status: "OK", provider: "gazetteer", precision: "postcode", components: { country_code: "GB" } });
    expect(gb.location?.lat).toBeCloseTo(54.97, 1);
    expect(gb.location?.lng).toBeCloseTo(-1.61, 1);
    const us = await geocodeVia(undefined, `1 ${street()}, Springfield, IL 62701-1234`);
    expect(us).toMatchObject({ status: "OK", provider: "gazetteer", precision: "postcode", components: { country_code: "US" } });
    expect(us.location?.lat).toBeCloseTo(39.8, 1);
    expect(us.location?.lng).toBeCloseTo(-89.65, 1);
  });
});

describe("POST /api/v1/geocode: the provider budget", () => {
  it("sends at most one request per second to the provider under concurrent requests; the rest fall back", async () => {
    const t = fixtureTenant("budget");
    const names = Array.from({ length: 6 }, street);
    for (const name of names) await t.addPlace(name, nominatimResult(-37.81, 144.96, { road: name }, "road"));
    const answers = await Promise.all(names.map((name) => geocodeVia(t.base, `10 ${name}, Melbourne VIC 3000`)));
    const fromProvider = answers.filter((a) => a.provider === "nominatim");
    const overBudget = answers.filter((a) => a.fallback_reason === "provider_over_budget");
    expect(fromProvider).toHaveLength(1);
    expect(overBudget).toHaveLength(5);
    expect(overBudget.every((a) => a.provider === "gazetteer" && a.precision === "postcode")).toBe(true);
    expect(await t.requests()).toHaveLength(1);

    // A second later the budget has a slot again; requests reach the provider at least 1 s apart. The
    // address asked again is one that fell back (the one that reached the provider is cached now).
    await new Promise((r) => setTimeout(r, 1_050));
    const fellBack = names[answers.findIndex((a) => a.fallback_reason === "provider_over_budget")];
    const later = await geocodeVia(t.base, `10 ${fellBack}, Melbourne VIC 3000`);
    expect(later.provider).toBe("nominatim");
    const times = (await t.requests()).map((r) => r.at);
    expect(times).toHaveLength(2);
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(1_000);
  });

  it("lets a caller that may wait (the enrichment loop) queue for slots instead of falling back", async () => {
    const { takeSlot } = await import("../../../pkg/geocode");
    const { testEnv } = await import("../../../../test/helpers");
    const key = `pillow:test:${unique("slot")}`;
    const started = Date.now();
    const granted = await Promise.all([0, 1, 2].map(() => takeSlot(testEnv, key, 300, 2_000)));
    expect(granted).toEqual([true, true, true]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(await takeSlot(testEnv, key, 300, 0)).toBe(false);
  });
});
