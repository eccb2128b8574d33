/**
 * Values the columns cannot hold are 400 VALIDATION_FAILED naming the parameter on every read route,
 * never a failed statement (issue 21: each of these was a 500). Cursors are checked against the sort
 * column's type even when their filter fingerprint is intact.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectValidationFailed, unique } from "../../../test/helpers";
import { postJson, sampleItem } from "../../../test/listings";
import { insertProperties } from "../../../test/property-rows";

const expect400 = expectValidationFailed;

const ROUTES = ["/api/v1/properties?", "/api/v1/stats?", "/api/v1/facets?fields=city&"];

const OUT_OF_STORAGE: Array<[string, string]> = [
  ["min_price=1e20", "min_price"],
  ["max_price=1e17", "max_price"],
  ["min_area=1e39", "min_area"],
  ["max_area=1.5e-323", "max_area"],
  ["min_land_area=1e-300", "min_land_area"],
  ["min_bathrooms=5e-324", "min_bathrooms"],
  ["min_price=Infinity", "min_price"],
  ["max_price=NaN", "max_price"],
  ["min_price=-0.5", "min_price"],
  ["year_built_min=1799", "year_built_min"],
  ["year_built_max=2201", "year_built_max"],
  ["min_bedrooms=40000", "min_bedrooms"],
  ["q=%00", "q"],
  ["q=a%00b", "q"],
  ["q=%1b%5b31m", "q"],
  ["city=Oak%00land", "city"],
  ["state=%07", "state"],
  ["features=pool%0d%0aX-Injected:1", "features"],
  ["q=a%C2%85b", "q"],
  [`q=${"a".repeat(201)}`, "q"],
  ["listed_since=0000-01-01", "listed_since"],
  ["listed_since=1799-12-31", "listed_since"],
  ["updated_since=2201-01-01", "updated_since"],
  ["updated_since=275760-09-13", "updated_since"],
];

describe("values beyond what the columns hold", () => {
  for (const route of ROUTES) {
    it.each(OUT_OF_STORAGE)(`${route}%s is 400 naming %s`, async (query, param) => {
      await expect400(`${route}${query}`, param);
    });
  }

  it("the largest accepted values still answer (they fit the columns)", async () => {
    for (const route of ROUTES) {
      const res = await call(
        `${route}min_price=0&max_price=1000000000000&min_area=0&max_area=1000000000&min_bathrooms=0.01&listed_since=1800-01-01&updated_since=2200-12-31`,
      );
      expect(res.status, route).toBe(200);
    }
  });
});

const b64url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64url = (s: string) => atob(s.replace(/-/g, "+").replace(/_/g, "/"));

describe("tampered cursors with an intact fingerprint", () => {
  const city = unique("Cursorfield");
  beforeAll(async () => {
    await insertProperties(
      [1, 2, 3].map((i) => ({ city, price: 100000 * i, area_living_sqm: 50 + i, lat: -30 - i / 100, lng: 150 + i / 100 })),
    );
  });

  async function firstCursor(query: string): Promise<Record<string, unknown>> {
    const res = await call(`/api/v1/properties?city=${city}&limit=1&${query}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { pagination: { next_cursor: string | null } };
    expect(body.pagination.next_cursor).toBeTruthy();
    return JSON.parse(fromB64url(body.pagination.next_cursor!)) as Record<string, unknown>;
  }

  const SORT_QUERIES: Array<[string, string]> = [
    ["-listed_at", "sort=-listed_at"],
    ["-updated_at", "sort=-updated_at"],
    ["price", "sort=price"],
    ["-price", "sort=-price"],
    ["price_per_sqm", "sort=price_per_sqm"],
    ["distance", "sort=distance&near=-30,150&radius_km=50"],
  ];
  const BAD_KEYS = ["1e999", "not a date", "NaN", "Infinity", "-1e400", "2026-02-30 00:00:00+00", "", "1,5", "0x10"];

  for (const [sort, query] of SORT_QUERIES) {
    it(`sort=${sort}: every bad key is 400 naming cursor`, async () => {
      const cursor = await firstCursor(query);
      // The real cursor works.
      const ok = await call(`/api/v1/properties?city=${city}&limit=1&${query}&cursor=${b64url(JSON.stringify(cursor))}`);
      expect(ok.status).toBe(200);
      for (const k of BAD_KEYS) {
        const tampered = b64url(JSON.stringify({ ...cursor, g: "value", k }));
        await expect400(`/api/v1/properties?city=${city}&limit=1&${query}&cursor=${tampered}`, "cursor");
      }
    });
  }
});

describe("ingest items beyond what the columns hold fail alone, naming the field", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["an area that underflows real", { area_living_sqm: 1.5e-323 }, "area_living_sqm"],
    ["bathrooms that underflow real", { bathrooms: 1e-300 }, "bathrooms"],
    ["a date the database cannot hold", { listed_at: "0000-01-01" }, "listed_at"],
    ["a date before 1800", { sold_at: "1799-12-31T00:00:00Z", status: "sold" }, "sold_at"],
    ["a NUL in attributes", { attributes: { note: "a\u0000b" } }, "attributes"],
    ["a lone surrogate in an unknown field", { extra_field: "\ud800" }, "attributes"],
  ];

  it.each(cases)("refuses %s", async (_, patch, path) => {
    const good = sampleItem();
    const res = await postJson("/api/v1/properties/batch", { items: [good, { ...sampleItem(), ...patch }] });
    expect(res.status, await res.clone().text()).toBe(200);
    const { data } = (await res.json()) as {
      data: { results: Array<{ outcome: string; errors?: Array<{ path: string }> }> };
    };
    expect(data.results[0]!.outcome).toBe("created");
    expect(data.results[1]!.outcome).toBe("invalid");
    expect(data.results[1]!.errors!.map((e) => e.path)).toContain(path);
  });
});
