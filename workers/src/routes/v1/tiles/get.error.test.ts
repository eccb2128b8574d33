import { describe, expect, it } from "vitest";
import { call, expectValidationFailed } from "../../../../test/helpers";

const expect400 = expectValidationFailed;

describe("GET /api/v1/tiles: bad tiles and bad filters are 400s naming the parameter", () => {
  it.each([
    ["/api/v1/tiles/23/0/0.mvt", "z"],
    ["/api/v1/tiles/-1/0/0.mvt", "z"],
    ["/api/v1/tiles/a/0/0.mvt", "z"],
    ["/api/v1/tiles/1.5/0/0.mvt", "z"],
    ["/api/v1/tiles/2/4/0.mvt", "x"],
    ["/api/v1/tiles/0/0x1/0.mvt", "x"],
    ["/api/v1/tiles/2/0/4.mvt", "y"],
    ["/api/v1/tiles/2/0/1", "y"],
    ["/api/v1/tiles/2/0/1.png", "y"],
    ["/api/v1/tiles/2/0/abc.mvt", "y"],
    ["/api/v1/tiles/99999999999/0/0.mvt", "z"],
    ["/api/v1/tiles/3/1/1.mvt?min_price=-1", "min_price"],
    ["/api/v1/tiles/3/1/1.mvt?min_price=500&max_price=100", "min_price"],
    ["/api/v1/tiles/3/1/1.mvt?bbox=1,2,3", "bbox"],
    ["/api/v1/tiles/3/1/1.mvt?bogus=1", "bogus"],
    ["/api/v1/tiles/3/1/1.mvt?radius_km=5", "radius_km"],
  ])("%s", async (path, param) => {
    await expect400(path, param);
  });

  it("a path outside the tile scheme is a 404 envelope", async () => {
    const res = await call("/api/v1/tiles/1/0.mvt");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });
});
