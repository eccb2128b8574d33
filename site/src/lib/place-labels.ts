/**
 * Place names on the offline basemap, drawn as HTML over the map: the offline style carries no glyph
 * files, which MapLibre's symbol layers need for text (docs/basemap.md). The places come from
 * /basemap/places.json (the gazetteer, built with the site) through an invisible circle layer, so the
 * map decides what is in view; larger places show from lower zooms, and a label that would overlap one
 * already placed is skipped. Labels sit under the result pins and never take pointer events.
 */
import type { Map as MapLibreMap } from "maplibre-gl";

const MAX_LABELS = 80;
/** The lowest zoom at which each tier is named. */
const TIER_MIN_ZOOM: Record<number, number> = { 1: 3.5, 2: 6.5, 3: 8.5 };

export const PLACE_LAYER = "place-points";

type Box = { x0: number; y0: number; x1: number; y1: number };
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** The fonts of `.place-label.t1/.t2/.t3` in site.css. */
const FONTS: Record<number, string> = {
  1: "700 13px system-ui, sans-serif",
  2: "600 12px system-ui, sans-serif",
  3: "500 11px system-ui, sans-serif",
};
const widths = new Map<string, number>();
let measure: CanvasRenderingContext2D | null = null;
function textWidth(text: string, tier: number): number {
  const key = `${tier}:${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    measure ??= document.createElement("canvas").getContext("2d");
    if (measure) measure.font = FONTS[tier] ?? FONTS[2]!;
    w = measure ? measure.measureText(text).width : text.length * 8;
    widths.set(key, w);
  }
  return w;
}

export function drawPlaceLabels(map: MapLibreMap, container: HTMLElement) {
  const layer = document.createElement("div");
  layer.className = "place-labels";
  layer.setAttribute("aria-hidden", "true");
  container.appendChild(layer);
  let scheduled = false;
  const draw = () => {
    scheduled = false;
    if (!map.getLayer(PLACE_LAYER)) return;
    const zoom = map.getZoom();
    const features = map
      .queryRenderedFeatures({ layers: [PLACE_LAYER] })
      .filter((f) => zoom >= (TIER_MIN_ZOOM[Number(f.properties.tier)] ?? 99))
      .sort((a, b) => Number(a.properties.rank) - Number(b.properties.rank));
    const placed: Box[] = [];
    const html: string[] = [];
    const seen = new Set<string>();
    for (const f of features) {
      if (placed.length >= MAX_LABELS) break;
      const name = String(f.properties.name ?? "");
      const [lng, lat] = (f.geometry as GeoJSON.Point).coordinates as [number, number];
      const key = `${name}@${lng},${lat}`;
      if (!name || seen.has(key)) continue;
      seen.add(key);
      const pt = map.project([lng, lat]);
      const tier = Number(f.properties.tier);
      // The label's box, measured in its own font (plus a margin), so names never overlap.
      const w = textWidth(name, tier) + 8;
      const box = { x0: pt.x - w / 2, y0: pt.y - 10, x1: pt.x + w / 2, y1: pt.y + 10 };
      if (placed.some((b) => overlaps(b, box))) continue;
      placed.push(box);
      const safe = name.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      html.push(`<span class="place-label t${tier}" style="left:${pt.x.toFixed(1)}px;top:${pt.y.toFixed(1)}px">${safe}</span>`);
    }
    layer.innerHTML = html.join("");
    layer.dataset.count = String(html.length);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(draw);
  };
  map.on("render", schedule);
  map.on("styledata", schedule);
}
