/**
 * MapLibre setup shared by the pages: named imports (maplibre-gl has no default export), the worker
 * file emitted by Vite, and a basemap that works offline (bundled country shapes and the gazetteer's
 * place names) unless a hosted vector style is configured at build time with PUBLIC_MAP_STYLE_URL
 * (docs/basemap.md). A hosted style that cannot be loaded (no network, a bad key) falls back to the
 * offline one, so the map always works.
 */
import {
  type ErrorEvent,
  Map as MapLibreMap,
  type MapOptions,
  NavigationControl,
  type StyleSpecification,
  setWorkerUrl,
} from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import "maplibre-gl/dist/maplibre-gl.css";
import { drawPlaceLabels, PLACE_LAYER } from "./place-labels";

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
    places: {
      type: "geojson",
      data: "/basemap/places.json",
      attribution: "Place names: GeoNames (CC BY 4.0)",
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
    // Invisible: it only tells the HTML labels (lib/place-labels.ts) which places are in view.
    { id: PLACE_LAYER, type: "circle", source: "places", paint: { "circle-radius": 1, "circle-opacity": 0 } },
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
  if (STYLE_URL) {
    // The hosted style did not load (offline, blocked, a bad key): the offline basemap instead.
    const fallBack = (e: ErrorEvent) => {
      if (map.isStyleLoaded() || container.dataset.basemap === "offline") return;
      console.warn(`hosted map style unavailable (${e.error?.message ?? "error"}); using the offline basemap`);
      container.dataset.basemap = "offline";
      map.setStyle(offlineStyle);
      map.off("error", fallBack);
    };
    map.on("error", fallBack);
    map.once("load", () => map.off("error", fallBack));
  } else container.dataset.basemap = "offline";
  drawPlaceLabels(map, container);
  // On a small map the expanded attribution would cover a third of it: start folded behind its ⓘ
  // button (MapLibre's compact control opens it at first), which still shows the credits on demand.
  map.once("load", () => {
    if (container.clientWidth < 700)
      for (const el of container.querySelectorAll(".maplibregl-ctrl-attrib.maplibregl-compact-show"))
        el.classList.remove("maplibregl-compact-show");
  });
  return map;
}

export { MapLibreMap };
