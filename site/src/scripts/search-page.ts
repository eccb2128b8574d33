/**
 * The search page: the form and the URL hold one state; results come from GET /api/v1/properties
 * (cursor pages, count on the first page) and are drawn as cards; the map draws every match from the
 * API's vector tiles (clusters, then price pins); the live stream keeps both fresh.
 */
import type { FilterSpecification, MapLayerMouseEvent, VectorTileSource } from "maplibre-gl";
import { ApiFailure, apiGet, type Page, type Property } from "../lib/api";
import { cardHtml, skeletonCards } from "../lib/cards";
import { apiQuery, STATE_KEYS } from "../lib/filters";
import { compactMoney, escapeHtml, label, money, num } from "../lib/format";
import { connectLive } from "../lib/live";
import { createMap } from "../lib/map";

const PAGE_SIZE = 24;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>("search-form");
const cards = $<HTMLUListElement>("cards");
const title = $("results-title");
const message = $("message");
const moreBtn = $<HTMLButtonElement>("more");
const areaBtn = $<HTMLButtonElement>("search-area");
const autoArea = $<HTMLInputElement>("auto-area");

let results: Property[] = [];
let nextCursor: string | null = null;
let total: number | undefined;
let loading: AbortController | null = null;
let fitOnLoad = true;

// ---- state: URL ⇄ form -------------------------------------------------------------------------

function stateFromForm(): URLSearchParams {
  const state = new URLSearchParams();
  const data = new FormData(form);
  const types = data.getAll("property_type").map(String);
  if (types.length) state.set("property_type", types.join(","));
  for (const [key, value] of data) {
    if (key === "property_type") continue;
    const v = String(value).trim();
    if (v && !(key === "sort" && v === "-listed_at")) state.set(key, v);
  }
  const current = new URLSearchParams(location.search);
  for (const keep of ["bbox", "polygon"]) {
    const v = current.get(keep);
    if (v) state.set(keep, v);
  }
  return state;
}

function formFromState(state: URLSearchParams) {
  for (const el of Array.from(form.elements) as HTMLInputElement[]) {
    if (!el.name) continue;
    if (el.type === "checkbox") el.checked = (state.get(el.name) ?? "").split(",").includes(el.value);
    else el.value = state.get(el.name) ?? (el.name === "sort" ? "-listed_at" : "");
  }
  if (FILTER_IN_MORE.some((k) => state.has(k))) ($("more-filters") as HTMLDetailsElement).open = true;
  $("area-chip").hidden = !state.has("bbox");
}
const FILTER_IN_MORE = STATE_KEYS.filter((k) => {
  const el = form.elements.namedItem(k);
  return el instanceof HTMLElement && el.closest("#more-filters") !== null;
});

function pushState(state: URLSearchParams) {
  const qs = state.toString();
  history.pushState(null, "", qs ? `?${qs}` : location.pathname);
}

// ---- searching ----------------------------------------------------------------------------------

async function search({ append = false } = {}) {
  loading?.abort();
  const controller = new AbortController();
  loading = controller;
  const state = new URLSearchParams(location.search);
  const query = apiQuery(state, { limit: String(PAGE_SIZE) });
  if (append && nextCursor) query.set("cursor", nextCursor);
  else query.set("count", "true");

  if (!append) {
    cards.innerHTML = skeletonCards(6);
    title.textContent = "Searching…";
    message.innerHTML = "";
    hideLiveBanner();
  }
  cards.setAttribute("aria-busy", "true");
  moreBtn.disabled = true;
  try {
    const page = await apiGet<Page<Property>>(`/api/v1/properties?${query}`, controller.signal);
    if (controller !== loading) return;
    results = append ? [...results, ...page.data] : page.data;
    nextCursor = page.pagination.next_cursor;
    if (!append) total = page.pagination.total;
    render(append ? page.data : results, append);
    live.update(apiQuery(state));
  } catch (err) {
    if ((err as Error).name === "AbortError") return;
    cards.innerHTML = "";
    title.textContent = "No results";
    const msg = err instanceof ApiFailure ? err.message : "Something went wrong.";
    message.innerHTML = `<div class="notice error">${escapeHtml(msg)} <button class="btn secondary" type="button" id="retry">Try again</button></div>`;
    $("retry").addEventListener("click", () => void search());
  } finally {
    if (controller === loading) {
      loading = null;
      cards.setAttribute("aria-busy", "false");
      moreBtn.disabled = false;
    }
  }
}

function render(items: Property[], append: boolean) {
  const html = items.map(cardHtml).join("");
  if (append) cards.insertAdjacentHTML("beforeend", html);
  else cards.innerHTML = html;
  const shown = results.length;
  const count = total ?? shown;
  title.textContent =
    count === 0 ? "No properties match" : `${num(count)} ${count === 1 ? "property" : "properties"}${total == null ? "+" : ""}`;
  message.innerHTML =
    count === 0
      ? '<div class="notice empty">Nothing matches these filters. Try widening the price range, removing the map area, or choosing “Any status”.</div>'
      : "";
  moreBtn.hidden = !nextCursor;
  updateMap(!append);
}

// ---- map ------------------------------------------------------------------------------------------
// The map draws the whole result set from the API's vector tiles (GET /api/v1/tiles/{z}/{x}/{y}.mvt with
// the list's own query): server-side clusters when zoomed out, one price pin per property when zoomed
// in. The list keeps its pages; the map does not depend on which of them are loaded.

const map = createMap($("map"));
let mapReady = false;
let hoveredId: string | null = null;
let tileQuery = "";

/** The tile URL template for a search (MapLibre fills in {z}/{x}/{y}; the braces stay unencoded). */
function tileUrl(query: URLSearchParams): string {
  const q = query.toString();
  return `${location.origin}/api/v1/tiles/{z}/{x}/{y}.mvt${q ? `?${q}` : ""}`;
}

const PIN = ["any", ["==", ["get", "count"], 1], ["!", ["has", "count"]]] as const;

map.on("load", () => {
  map.addSource("results", {
    type: "vector",
    tiles: [tileUrl(apiQuery(new URLSearchParams(location.search)))],
    minzoom: 0,
    maxzoom: 16,
    promoteId: { clusters: "id", properties: "id" },
  });
  map.addLayer({
    id: "clusters",
    type: "circle",
    source: "results",
    "source-layer": "clusters",
    filter: [">", ["get", "count"], 1],
    paint: {
      "circle-color": "#2f6f5e",
      "circle-opacity": 0.85,
      "circle-radius": ["step", ["get", "count"], 14, 10, 18, 100, 22, 1000, 26],
      "circle-stroke-width": 3,
      "circle-stroke-color": "#ffffff",
    },
  });
  for (const layer of ["clusters", "properties"] as const) {
    map.addLayer({
      id: `points-${layer}`,
      type: "circle",
      source: "results",
      "source-layer": layer,
      filter: PIN as unknown as FilterSpecification,
      // An approximate position (a postcode or locality centroid) is drawn hollow: a ring in the colour,
      // white inside, so it never reads as the house's own spot.
      paint: {
        "circle-color": [
          "case",
          ["==", ["get", "approximate"], true],
          "#ffffff",
          ["boolean", ["feature-state", "hover"], false],
          "#f0a500",
          "#2f6f5e",
        ],
        "circle-radius": ["case", ["boolean", ["feature-state", "hover"], false], 10, 7],
        "circle-stroke-width": ["case", ["==", ["get", "approximate"], true], 3, 2],
        "circle-stroke-color": [
          "case",
          ["==", ["get", "approximate"], true],
          ["case", ["boolean", ["feature-state", "hover"], false], "#f0a500", "#2f6f5e"],
          "#ffffff",
        ],
      },
    });
  }
  mapReady = true;
  updateMap(true);
  $("map").dataset.ready = "true";
});
map.on("idle", () => {
  if (mapReady) $("map").dataset.tiles = tileQuery;
});

const POINT_LAYERS = ["points-clusters", "points-properties"];

function updateMap(fit: boolean) {
  if (!mapReady) return;
  const query = apiQuery(new URLSearchParams(location.search));
  const next = query.toString();
  if (next !== tileQuery) {
    tileQuery = next;
    delete $("map").dataset.tiles;
    (map.getSource("results") as VectorTileSource).setTiles([tileUrl(query)]);
  }
  const located = results.filter((p) => p.location);
  const bbox = new URLSearchParams(location.search).get("bbox")?.split(",").map(Number);
  if (fit && fitOnLoad && bbox?.length === 4 && bbox.every(Number.isFinite)) {
    // A shared or reloaded URL shows the area it was searched in.
    map.fitBounds(
      [
        [bbox[0]!, bbox[1]!],
        [bbox[2]!, bbox[3]!],
      ],
      { duration: 0 },
    );
  } else if (fit && fitOnLoad && located.length) {
    const lngs = located.map((p) => p.location!.lng);
    const lats = located.map((p) => p.location!.lat);
    map.fitBounds(
      [
        [Math.min(...lngs), Math.min(...lats)],
        [Math.max(...lngs), Math.max(...lats)],
      ],
      { padding: 40, maxZoom: 14, duration: 0 },
    );
  }
  fitOnLoad = false;
  renderLabels();
}

// Cluster counts and pin prices as HTML labels: the offline style has no glyph server for symbol layers.
const MAX_LABELS = 300;
const labels = new Map<string, HTMLElement>();
const labelLayer = document.createElement("div");
labelLayer.className = "cluster-labels";
labelLayer.style.cssText = "position:absolute;inset:0;pointer-events:none;z-index:1;overflow:hidden";
$("map").appendChild(labelLayer);

/** A cluster shows its count and median price; a pin its price. */
function labelOf(props: Record<string, unknown>): { key: string; html: string; pin: boolean } {
  const count = props.count as number | undefined;
  const currency = String(props.currency ?? "USD");
  if (count !== undefined && count > 1) {
    const median = props.median_price as number | undefined;
    const price = median === undefined ? "" : `<small>${escapeHtml(compactMoney(median, currency))}</small>`;
    return { key: "", html: `<b>${escapeHtml(num(count))}</b>${price}`, pin: false };
  }
  const price = props.price as number | undefined;
  return { key: String(props.id ?? ""), html: escapeHtml(price === undefined ? "—" : compactMoney(price, currency)), pin: true };
}

function renderLabels() {
  if (!mapReady) return;
  const seen = new Set<string>();
  const features = map.queryRenderedFeatures({ layers: ["clusters", ...POINT_LAYERS] }).slice(0, MAX_LABELS);
  for (const f of features) {
    const [lng, lat] = (f.geometry as GeoJSON.Point).coordinates as [number, number];
    const l = labelOf(f.properties);
    const key = l.pin ? `p:${l.key}` : `c:${lng.toFixed(5)},${lat.toFixed(5)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let el = labels.get(key);
    if (!el) {
      el = document.createElement("span");
      el.className = l.pin ? "map-label pin" : "map-label cluster";
      labelLayer.appendChild(el);
      labels.set(key, el);
    }
    if (el.innerHTML !== l.html) el.innerHTML = l.html;
    const pt = map.project([lng, lat]);
    el.style.left = `${pt.x}px`;
    el.style.top = `${pt.y}px`;
  }
  for (const [key, el] of labels) {
    if (!seen.has(key)) {
      el.remove();
      labels.delete(key);
    }
  }
}
map.on("render", renderLabels);

function setHover(id: string | null) {
  if (hoveredId && mapReady) {
    for (const sourceLayer of ["clusters", "properties"])
      map.setFeatureState({ source: "results", sourceLayer, id: hoveredId }, { hover: false });
  }
  cards.querySelector(".card.active")?.classList.remove("active");
  hoveredId = id;
  if (!id) return;
  if (mapReady) {
    for (const sourceLayer of ["clusters", "properties"])
      map.setFeatureState({ source: "results", sourceLayer, id }, { hover: true });
  }
  cards.querySelector(`.card[data-id="${CSS.escape(id)}"]`)?.classList.add("active");
}

for (const layer of POINT_LAYERS) {
  map.on("mousemove", layer, (e: MapLayerMouseEvent) => {
    map.getCanvas().style.cursor = "pointer";
    setHover(String(e.features?.[0]?.properties.id ?? ""));
  });
  map.on("mouseleave", layer, () => {
    map.getCanvas().style.cursor = "";
    setHover(null);
  });
  // A pin whose card is loaded scrolls the list to it; any other opens the property's page.
  map.on("click", layer, (e: MapLayerMouseEvent) => {
    const id = String(e.features?.[0]?.properties.id ?? "");
    if (!id) return;
    const card = cards.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(id)}"]`);
    if (card) {
      card.scrollIntoView({ behavior: "smooth", block: "center" });
      setHover(id);
      card.querySelector<HTMLAnchorElement>("a")?.focus({ preventScroll: true });
    } else {
      location.assign(`/property/${encodeURIComponent(id)}`);
    }
  });
}
map.on("click", "clusters", (e: MapLayerMouseEvent) => {
  const feature = e.features?.[0];
  if (!feature) return;
  map.easeTo({ center: (feature.geometry as GeoJSON.Point).coordinates as [number, number], zoom: map.getZoom() + 2 });
});
map.on("mouseenter", "clusters", () => {
  map.getCanvas().style.cursor = "pointer";
});
map.on("mouseleave", "clusters", () => {
  map.getCanvas().style.cursor = "";
});

cards.addEventListener("mouseover", (e) => {
  const card = (e.target as HTMLElement).closest<HTMLElement>(".card");
  if (card?.dataset.id && card.dataset.id !== hoveredId) setHover(card.dataset.id);
});
cards.addEventListener("focusin", (e) => {
  const card = (e.target as HTMLElement).closest<HTMLElement>(".card");
  if (card?.dataset.id) setHover(card.dataset.id);
});
cards.addEventListener("mouseleave", () => setHover(null));

function currentBbox(): string {
  const b = map.getBounds();
  const r = (v: number) => v.toFixed(5);
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(r).join(",");
}

function searchThisArea() {
  const state = stateFromForm();
  state.set("bbox", currentBbox());
  pushState(state);
  areaBtn.hidden = true;
  $("area-chip").hidden = false;
  void search();
}

map.on("moveend", (e) => {
  // Only moves made by the user (drag, zoom, keyboard) offer a new area; fitBounds has no originalEvent.
  if (!(e as { originalEvent?: Event }).originalEvent) return;
  if (autoArea.checked) searchThisArea();
  else areaBtn.hidden = false;
});
areaBtn.addEventListener("click", searchThisArea);
autoArea.addEventListener("change", () => {
  localStorage.setItem("pillow:auto-area", autoArea.checked ? "1" : "");
});
autoArea.checked = localStorage.getItem("pillow:auto-area") === "1";
$("clear-area").addEventListener("click", () => {
  const state = stateFromForm();
  state.delete("bbox");
  pushState(state);
  $("area-chip").hidden = true;
  fitOnLoad = true;
  void search();
});

// ---- paging -------------------------------------------------------------------------------------

moreBtn.addEventListener("click", () => void search({ append: true }));
new IntersectionObserver(
  (entries) => {
    if (entries.some((en) => en.isIntersecting) && nextCursor && !loading && results.length) void search({ append: true });
  },
  { root: null, rootMargin: "400px" },
).observe($("sentinel"));

// ---- form ---------------------------------------------------------------------------------------

form.addEventListener("submit", (e) => {
  e.preventDefault();
  pushState(stateFromForm());
  fitOnLoad = true;
  void search();
});
form.addEventListener("change", (e) => {
  const el = e.target as HTMLInputElement;
  // Selects and checkboxes apply at once; typed fields apply on Enter or the Search button.
  if (el.tagName === "SELECT" || el.type === "checkbox") form.requestSubmit();
});
$("reset").addEventListener("click", () => {
  pushState(new URLSearchParams());
  formFromState(new URLSearchParams());
  fitOnLoad = true;
  void search();
});
window.addEventListener("popstate", () => {
  formFromState(new URLSearchParams(location.search));
  void search();
});

// ---- live updates -------------------------------------------------------------------------------

let newCount = 0;
const banner = $("live-banner");
function hideLiveBanner() {
  newCount = 0;
  banner.hidden = true;
}
$("live-show").addEventListener("click", () => {
  hideLiveBanner();
  void search();
  // The button disappears with the banner: focus moves to the results heading, not to <body>.
  $("results-title").focus();
});

const live = connectLive({
  onState: (s) => {
    $("live-state").textContent = s === "open" ? "● Live" : s === "connecting" ? "Connecting to live updates…" : "";
  },
  onCreated: (p) => {
    if (results.some((r) => r.id === p.id)) return;
    newCount += 1;
    $("live-text").textContent = `${newCount} new ${newCount === 1 ? "listing matches" : "listings match"} your search`;
    banner.hidden = false;
  },
  onChanged: (p) => {
    const i = results.findIndex((r) => r.id === p.id);
    if (i < 0) return;
    results[i] = { ...results[i]!, ...p };
    const card = cards.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(p.id)}"]`);
    if (!card) return;
    const price = card.querySelector("[data-field=price]");
    if (price && p.price !== undefined) price.textContent = money(p.price, p.currency ?? results[i]!.currency);
    card.dataset.price = String(p.price ?? "");
    const status = card.querySelector<HTMLElement>("[data-field=status]");
    if (status && p.status) {
      status.textContent = label(p.status);
      status.className = `badge ${p.status}`;
    }
    card.classList.remove("flash");
    void card.offsetWidth;
    card.classList.add("flash");
  },
});

// ---- small screens: filters fold away behind a "Filters (n)" toggle ------------------------------

const panel = $<HTMLDetailsElement>("filter-panel");
function showFilterCount() {
  const n = [...new URLSearchParams(location.search).keys()].filter((k) => k !== "sort" && k !== "bbox").length;
  $("filter-count").textContent = n ? `(${n} active)` : "";
}
if (matchMedia("(max-width: 699px)").matches) panel.open = false;
form.addEventListener("submit", () => {
  showFilterCount();
  if (matchMedia("(max-width: 699px)").matches) panel.open = false;
});
window.addEventListener("popstate", showFilterCount);
showFilterCount();

// ---- start --------------------------------------------------------------------------------------

formFromState(new URLSearchParams(location.search));
void search();
