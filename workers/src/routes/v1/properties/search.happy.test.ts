import { describe, expect, it } from "vitest";
import { unique } from "../../../../test/helpers";
import { insertProperties, search } from "../../../../test/property-rows";

describe("GET /api/v1/properties", () => {
  it("smoke", async () => {
    const city = unique("Smoke");
    const ids = await insertProperties([
      { city, price: 100 },
      { city, price: 200, listed_at: "2026-02-01T00:00:00Z" },
    ]);
    const body = await search(`city=${city}`);
    expect(body.data.map((d) => d.id)).toEqual([ids[1], ids[0]]);
  });
});
