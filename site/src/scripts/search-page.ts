/**
 * The search page: the form and the URL hold one state; results come from GET /api/v1/properties
 * (cursor pages, count on the first page), are drawn as cards and as clustered points on the map, and
 * are kept fresh by the live stream.
 */
import type { GeoJSONSource, MapLayerMouseEvent } from "maplibre-gl";
import { ApiFailure, apiGet, type Page, type Property } from "../lib/api";
import { cardHtml, skeletonCards } from "../lib/cards";
import { apiQuery, STATE_KEYS } from "../lib/filters";
import { escapeHtml, label, money, num } from "../lib/format";
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

const map = createMap($("map"));
let mapReady = false;
let hoveredId: string | null = null;

map.on("load", () => {
  map.addSource("results", {
    type: "geojson",
    data: toGeoJson([]),
    cluster: true,
    clusterRadius: 42,
    clusterMaxZoom: 14,
    promoteId: "id",
  });
  map.addLayer({
    id: "clusters",
    type: "circle",
    source: "results",
    filter: ["has", "point_count"],
    paint: {
      "circle-color": "#2f6f5e",
      "circle-opacity": 0.85,
      "circle-radius": ["step", ["get", "point_count"], 14, 10, 18, 50, 24],
      "circle-stroke-width": 3,
      "circle-stroke-color": "#ffffff",
    },
  });
  map.addLayer({
    id: "points",
    type: "circle",
    source: "results",
    filter: ["!", ["has", "point_count"]],
    // An approximate position (a postcode or locality centroid) is drawn hollow: a ring in the colour,
    // white inside, so it never reads as the house's own spot.
    paint: {
      "circle-color": [
        "case",
        ["get", "approximate"],
        "#ffffff",
        ["boolean", ["feature-state", "hover"], false],
        "#f0a500",
        "#2f6f5e",
      ],
      "circle-radius": ["case", ["boolean", ["feature-state", "hover"], false], 10, 7],
      "circle-stroke-width": ["case", ["get", "approximate"], 3, 2],
      "circle-stroke-color": [
        "case",
        ["get", "approximate"],
        ["case", ["boolean", ["feature-state", "hover"], false], "#f0a500", "#2f6f5e"],
        "#ffffff",
      ],
    },
  });
  mapReady = true;
  updateMap(true);
  $("map").dataset.ready = "true";
});

function toGeoJson(items: Property[]): GeoJSON.FeatureCollection {
  return {
    type: "FeatureCollection",
    features: items
      .filter((p) => p.location)
      .map((p) => ({
        type: "Feature",
        properties: { id: p.id, price: p.price, approximate: p.location?.approximate === true },
        geometry: { type: "Point", coordinates: [p.location!.lng, p.location!.lat] },
      })),
  };
}

function updateMap(fit: boolean) {
  if (!mapReady) return;
  (map.getSource("results") as GeoJSONSource).setData(toGeoJson(results));
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
  renderClusterLabels();
}

// Cluster counts as HTML labels: the offline style has no glyph server for symbol layers.
const clusterLabels = new Map<number, HTMLElement>();
const labelLayer = document.createElement("div");
labelLayer.className = "cluster-labels";
labelLayer.style.cssText = "position:absolute;inset:0;pointer-events:none;z-index:1";
$("map").appendChild(labelLayer);
function renderClusterLabels() {
  if (!mapReady) return;
  const seen = new Set<number>();
  for (const f of map.querySourceFeatures("results", { filter: ["has", "point_count"] })) {
    const id = f.properties.cluster_id as number;
    if (seen.has(id)) continue;
    seen.add(id);
    let el = clusterLabels.get(id);
    if (!el) {
      el = document.createElement("span");
      el.style.cssText =
        "position:absolute;transform:translate(-50%,-50%);color:#fff;font:700 12px system-ui;text-shadow:0 0 2px #163a31";
      labelLayer.appendChild(el);
      clusterLabels.set(id, el);
    }
    el.textContent = String(f.properties.point_count_abbreviated ?? f.properties.point_count);
    const [lng, lat] = (f.geometry as GeoJSON.Point).coordinates as [number, number];
    const pt = map.project([lng, lat]);
    el.style.left = `${pt.x}px`;
    el.style.top = `${pt.y}px`;
  }
  for (const [id, el] of clusterLabels) {
    if (!seen.has(id)) {
      el.remove();
      clusterLabels.delete(id);
    }
  }
}
map.on("render", renderClusterLabels);

function setHover(id: string | null) {
  if (hoveredId && mapReady) map.setFeatureState({ source: "results", id: hoveredId }, { hover: false });
  cards.querySelector(".card.active")?.classList.remove("active");
  hoveredId = id;
  if (!id) return;
  if (mapReady) map.setFeatureState({ source: "results", id }, { hover: true });
  cards.querySelector(`.card[data-id="${CSS.escape(id)}"]`)?.classList.add("active");
}

map.on("mousemove", "points", (e: MapLayerMouseEvent) => {
  map.getCanvas().style.cursor = "pointer";
  setHover(String(e.features?.[0]?.properties.id ?? ""));
});
map.on("mouseleave", "points", () => {
  map.getCanvas().style.cursor = "";
  setHover(null);
});
map.on("click", "points", (e: MapLayerMouseEvent) => {
  const id = String(e.features?.[0]?.properties.id ?? "");
  const card = cards.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(id)}"]`);
  if (card) {
    card.scrollIntoView({ behavior: "smooth", block: "center" });
    setHover(id);
    card.querySelector<HTMLAnchorElement>("a")?.focus({ preventScroll: true });
  }
});
map.on("click", "clusters", async (e: MapLayerMouseEvent) => {
  const feature = e.features?.[0];
  if (!feature) return;
  const zoom = await (map.getSource("results") as GeoJSONSource).getClusterExpansionZoom(feature.properties.cluster_id);
  map.easeTo({ center: (feature.geometry as GeoJSON.Point).coordinates as [number, number], zoom });
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
  $("list-col-top")?.focus();
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
