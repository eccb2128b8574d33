/**
 * The offline basemap: world-atlas country shapes (Natural Earth, 1:50m) converted from TopoJSON to
 * GeoJSON at build time, so the map needs no network and ships no TopoJSON decoder to browsers.
 */
import { feature, mesh } from "topojson-client";
import countries from "world-atlas/countries-50m.json";

export function GET() {
  // biome-ignore lint/suspicious/noExplicitAny: world-atlas ships untyped TopoJSON
  const topo = countries as any;
  const land = feature(topo, topo.objects.countries);
  const borders = mesh(topo, topo.objects.countries, (a: unknown, b: unknown) => a !== b);
  const collection = {
    type: "FeatureCollection",
    features: [
      ...(land as unknown as { features: unknown[] }).features.map((f) => ({ ...(f as object), properties: { kind: "land" } })),
      { type: "Feature", properties: { kind: "border" }, geometry: borders },
    ],
  };
  return new Response(JSON.stringify(collection), { headers: { "content-type": "application/json" } });
}
