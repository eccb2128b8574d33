/**
 * The offline basemap: world-atlas shapes (Natural Earth 1:50m land, and the borders between
 * countries) converted from TopoJSON to GeoJSON at build time, coordinates rounded to 0.001° (about
 * 100 m, finer than the 1:50m source), so the map needs no network and browsers get no TopoJSON decoder.
 */
import { feature, mesh } from "topojson-client";
import countries from "world-atlas/countries-50m.json";
import land from "world-atlas/land-50m.json";

type Geometry = { type: string; coordinates: unknown; geometries?: Geometry[] };

function round(coords: unknown): unknown {
  if (typeof coords === "number") return Math.round(coords * 1000) / 1000;
  return (coords as unknown[]).map(round);
}

function compact(geometry: Geometry): Geometry {
  return { type: geometry.type, coordinates: round(geometry.coordinates) };
}

export function GET() {
  // biome-ignore lint/suspicious/noExplicitAny: world-atlas ships untyped TopoJSON
  const [landTopo, countryTopo] = [land as any, countries as any];
  const landShapes = feature(landTopo, landTopo.objects.land) as unknown as {
    features?: { geometry: Geometry }[];
    geometry?: Geometry;
  };
  const landGeometries = landShapes.features ? landShapes.features.map((f) => f.geometry) : [landShapes.geometry!];
  const borders = mesh(countryTopo, countryTopo.objects.countries, (a: unknown, b: unknown) => a !== b) as unknown as Geometry;
  const collection = {
    type: "FeatureCollection",
    features: [
      ...landGeometries.map((g) => ({ type: "Feature", properties: { kind: "land" }, geometry: compact(g) })),
      { type: "Feature", properties: { kind: "border" }, geometry: compact(borders) },
    ],
  };
  return new Response(JSON.stringify(collection), { headers: { "content-type": "application/json" } });
}
