/**
 * MapLibre setup shared by the pages: named imports (maplibre-gl has no default export), the worker
 * file emitted by Vite, and a basemap that works offline (bundled country shapes) unless a hosted style
 * is configured at build time with PUBLIC_MAP_STYLE_URL.
 */
import { Map as MapLibreMap, type MapOptions, NavigationControl, type StyleSpecification, setWorkerUrl } from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import "maplibre-gl/dist/maplibre-gl.css";

setWorkerUrl(workerUrl);

const STYLE_URL: string | undefined = import.meta.env.PUBLIC_MAP_STYLE_URL || undefined;

export const offlineStyle: StyleSpecification = {
  version: 8,
  sources: {
    basemap: {
      type: "geojson",
      data: "/basemap/countries.json",
      attribution: "Natural Earth via world-atlas",
    },
  },
  layers: [
    // The 1:50m coastline is meaningless at street level: from zoom 9 the whole map fades to the land
    // colour, so a house on a coarse coastline never appears to stand in the sea.
    {
      id: "water",
      type: "background",
      paint: { "background-color": ["interpolate", ["linear"], ["zoom"], 8, "#c9dde6", 10, "#eef0e8"] },
    },
    { id: "land", type: "fill", source: "basemap", filter: ["==", ["get", "kind"], "land"], paint: { "fill-color": "#eef0e8" } },
    {
      id: "borders",
      type: "line",
      source: "basemap",
      filter: ["==", ["get", "kind"], "border"],
      paint: { "line-color": "#a7afa3", "line-width": 0.8, "line-dasharray": [3, 2] },
    },
  ],
};

export function createMap(container: HTMLElement, options: Partial<MapOptions> = {}): MapLibreMap {
  const map = new MapLibreMap({
    container,
    style: STYLE_URL ?? offlineStyle,
    center: [-122.3, 47.55],
    zoom: 8,
    attributionControl: { compact: true },
    dragRotate: false,
    pitchWithRotate: false,
    ...options,
  });
  map.addControl(new NavigationControl({ showCompass: false }), "top-right");
  map.touchZoomRotate.disableRotation();
  return map;
}

export { MapLibreMap };
