import { beforeAll, describe, expect, it } from "vitest";
import { call, unique } from "../../../../test/helpers";
import { insertProperties } from "../../../../test/property-rows";
import { FacetsResponseSchema } from "./schema";

describe("GET /api/v1/facets", () => {
  const city = unique("Facetville");
  beforeAll(async () => {
    await insertProperties([
      { city, property_type: "house", bedrooms: 3, features: ["garage", "pool"] },
      { city, property_type: "house", bedrooms: 2, features: ["garage"] },
      { city, property_type: "apartment", bedrooms: 2, features: [] },
      { city, property_type: "land", bedrooms: null, status: "sold" },
    ]);
  });

  it("counts the values of each field among the filtered properties, most common first", async () => {
    const res = await call(`/api/v1/facets?city=${city}&fields=property_type,bedrooms,features,city,status`);
    expect(res.status).toBe(200);
    const { data } = FacetsResponseSchema.parse(await res.json());
    expect(data).toEqual({
      property_type: [
        { value: "house", label: "house", count: 2 },
        { value: "apartment", label: "apartment", count: 1 },
      ],
      bedrooms: [
        { value: "2", label: "2", count: 2 },
        { value: "3", label: "3", count: 1 },
      ],
      features: [
        { value: "garage", label: "garage", count: 2 },
        { value: "pool", label: "pool", count: 1 },
      ],
      city: [{ value: city.toLowerCase(), label: city, count: 3 }],
      status: [{ value: "active", label: "active", count: 3 }],
    });
  });

  it("applies the filters and the per-field limit", async () => {
    const res = await call(
      `/api/v1/facets?city=${city}&status=active,sold&property_type=house,land&fields=property_type&limit=1`,
    );
    const { data } = FacetsResponseSchema.parse(await res.json());
    expect(data).toEqual({ property_type: [{ value: "house", label: "house", count: 2 }] });
  });

  it.each([
    ["", "fields"],
    ["fields=price", "fields"],
    ["fields=city&limit=0", "limit"],
    ["fields=city&foo=1", "foo"],
  ])("?%s is a 400 naming %s", async (query, param) => {
    const res = await call(`/api/v1/facets?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringContaining(param) });
  });
});
