import { beforeAll, describe, expect, it } from "vitest";
import { bulkSetupEnv, call, unique } from "../../../../test/helpers";
import { insertProperties } from "../../../../test/property-rows";
import { runCommonRouteTests } from "../../../../test/security";
import { refreshPlaces } from "../../../pkg/places/refresh";
import { PlacesResponseSchema } from "./schema";

runCommonRouteTests({ method: "GET", path: "/api/v1/places?q=security-check", allowed: ["anonymous"] });

describe("GET /api/v1/places with hostile input", () => {
  const city = unique("Guardville");
  beforeAll(async () => {
    await insertProperties([{ city, state: "ZZ", country: "US", lat: 40.1, lng: -100.1 }]);
    // A refresh aggregates the whole gazetteer: longer than a request's database timeout.
    await refreshPlaces(bulkSetupEnv);
  }, 180_000);

  async function places(q: string) {
    const res = await call(`/api/v1/places?q=${encodeURIComponent(q)}&limit=20`);
    expect(res.status, await res.clone().text()).toBe(200);
    return PlacesResponseSchema.parse(await res.json()).data;
  }

  it("takes LIKE wildcards literally: % and _ match nothing, not every place", async () => {
    expect(await places("%")).toEqual([]);
    expect(await places("_")).toEqual([]);
    expect(await places("%%%%")).toEqual([]);
  });

  it("treats SQL in the query as text", async () => {
    for (const q of ["'; DROP TABLE properties; --", "x' OR '1'='1", "\\", "$1", "Guardville' --"]) {
      await places(q);
    }
    // The table is still there, and the place is still found by its own name.
    expect((await places(city)).map((p) => p.name)).toContain(city);
  });

  it("answers odd but valid text without an error", async () => {
    for (const q of ["🏠", "ß", "İstanbul", "a".repeat(100), "  spaced   out  ", "Zürich"]) await places(q);
  });
});
