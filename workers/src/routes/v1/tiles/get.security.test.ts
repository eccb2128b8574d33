import { beforeAll, describe, expect, it } from "vitest";
import { call, unique } from "../../../../test/helpers";
import { insertProperties } from "../../../../test/property-rows";
import { getTile, tileOf } from "./tile-test-helpers";

describe("GET /api/v1/tiles: hostile input", () => {
  const city = unique("Safeton");
  beforeAll(async () => {
    await insertProperties([{ city, lat: 10.5, lng: 20.5 }]);
  });

  it("filter values are data, not SQL", async () => {
    const t = tileOf(10.5, 20.5, 16);
    const injected = await getTile(t.z, t.x, t.y, `city=${encodeURIComponent(`${city}' OR '1'='1`)}`);
    expect(injected).toEqual({});
    const own = await getTile(t.z, t.x, t.y, `city=${encodeURIComponent(city)}`);
    expect(own.properties).toHaveLength(1);
  });

  it("an oversized query is refused with the envelope, never a 500", async () => {
    const res = await call(`/api/v1/tiles/0/0/0.mvt?q=${"x".repeat(300)}`);
    expect(res.status).toBe(400);
    const polygon = await call(`/api/v1/tiles/0/0/0.mvt?polygon=${"1,1;".repeat(6000)}`);
    expect(polygon.status).toBe(400);
  });

  it("is public and needs no credentials; a bad token is refused like everywhere else", async () => {
    expect((await call("/api/v1/tiles/0/0/0.mvt")).status).toBe(200);
    const bad = await call("/api/v1/tiles/0/0/0.mvt", { headers: { Authorization: "Bearer pil_not-a-token" } });
    expect(bad.status).toBe(401);
  });
});
