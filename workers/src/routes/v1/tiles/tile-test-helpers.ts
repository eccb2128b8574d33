/** Fetch and decode tiles in tests, with the decoder map clients use (`@mapbox/vector-tile` + `pbf`). */
import { VectorTile } from "@mapbox/vector-tile";
import { PbfReader } from "pbf";
import { expect } from "vitest";
import { call } from "../../../../test/helpers";

export type Feature = { props: Record<string, unknown>; x: number; y: number };

/** The features of each layer of a tile (empty object for an empty tile). */
export function decodeTile(bytes: ArrayBuffer): Record<string, Feature[]> {
  const tile = new VectorTile(new PbfReader(new Uint8Array(bytes)));
  const out: Record<string, Feature[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    out[name] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      const point = f.loadGeometry()[0]?.[0];
      out[name].push({ props: f.properties as Record<string, unknown>, x: point?.x ?? Number.NaN, y: point?.y ?? Number.NaN });
    }
  }
  return out;
}

export async function getTile(z: number, x: number, y: number, query = ""): Promise<Record<string, Feature[]>> {
  const res = await call(`/api/v1/tiles/${z}/${x}/${y}.mvt${query ? `?${query}` : ""}`);
  if (res.status !== 200) expect.fail(`tile → ${res.status}: ${await res.text()}`);
  expect(res.headers.get("content-type")).toBe("application/vnd.mapbox-vector-tile");
  return decodeTile(await res.arrayBuffer());
}

/** The tile holding a point at a zoom (Web Mercator). */
export function tileOf(lat: number, lng: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lng + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
}
