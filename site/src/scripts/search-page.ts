/**
 * The search page: the form and the URL hold one state; results come from GET /api/v1/properties
 * (cursor pages, count on the first page) and are drawn as cards; the map draws every match from the
 * API's vector tiles (clusters, then price pins); the live stream keeps both fresh.
 */
import type { FilterSpecification, MapLayerMouseEvent, VectorTileSource } from "maplibre-gl";
import { ApiFailure, apiGet, type Page, type Property } from "../lib/api";
import { cardHtml, skeletonCards } from "../lib/cards";
import { areaDisagreement, type EmptyWhy, whyEmpty } from "../lib/empty-why";
import { apiQuery, STATE_KEYS } from "../lib/filters";
import { compactMoney, escapeHtml, label, money, num } from "../lib/format";
import { connectLive } from "../lib/live";
import { createMap } from "../lib/map";
import { replaceBrokenPhotos } from "../lib/photos";
import { initPlaceBox, type Place } from "./place-box";

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
  if (FILTER_IN_MORE.some((k) => state.has(k))) setExpanded(true);
  $("area-chip").hidden = !state.has("bbox");
}
/** Where a place or a position is: these parameters are replaced, the other filters kept. */
const PLACE_KEYS = ["city", "state", "postal_code", "country", "bbox", "near", "radius_km", "polygon"];
/**
 * Filters that open "More filters" when a page starts with them, so they are seen. Not the place's:
 * the place box in the bar shows those.
 */
const FILTER_IN_MORE = STATE_KEYS.filter((k) => {
  const el = form.elements.namedItem(k);
  return !PLACE_KEYS.includes(k) && el instanceof HTMLElement && el.closest("#more-filters") !== null;
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
    const page = await apiGet<Page<Property> & { hint?: EmptyWhy["apiHint"] }>(`/api/v1/properties?${query}`, controller.signal);
    if (controller !== loading) return;
    results = append ? [...results, ...page.data] : page.data;
    nextCursor = page.pagination.next_cursor;
    if (!append) total = page.pagination.total;
    render(append ? page.data : results, append);
    live.update(apiQuery(state));
    if (!append) {
      void explainEmpty(state, page.hint, controller);
      void explainArea(state, controller);
      focusAfterShow();
    }
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
  if (count !== 0) message.innerHTML = "";
  moreBtn.hidden = !nextCursor;
  updateMap(!append);
}

// ---- why a result is empty, and City against the map area ------------------------------------------

/** Names the filter (or filters) that emptied the result, each with a button that lifts it (lib/empty-why.ts). */
async function explainEmpty(state: URLSearchParams, apiHint: EmptyWhy["apiHint"] | undefined, controller: AbortController) {
  if ((total ?? results.length) !== 0) return;
  message.innerHTML =
    '<div class="notice empty empty-why" data-state="checking">Nothing matches these filters. Checking which one emptied the result…</div>';
  const why = await whyEmpty(state, apiHint, controller.signal).catch(() => null);
  if (controller.signal.aborted || loading) return;
  const box = message.querySelector<HTMLElement>(".empty-why");
  if (!box) return;
  box.dataset.state = "done";
  if (!why || why.lifts.length === 0) {
    box.textContent = "Nothing matches these filters, and no single filter is the reason: try widening several of them.";
    return;
  }
  box.innerHTML = `<div><strong>Nothing matches these filters.</strong> ${escapeHtml(why.summary)}<ul>${why.lifts
    .map(
      (l, i) =>
        `<li>${escapeHtml(l.text)} <button class="btn secondary small" type="button" data-lift="${i}">${escapeHtml(l.action)}</button></li>`,
    )
    .join("")}</ul></div>`;
  for (const b of box.querySelectorAll<HTMLButtonElement>("button[data-lift]")) {
    b.addEventListener("click", () => {
      const lift = why.lifts[Number(b.dataset.lift)]!;
      const next = lift.apply(new URLSearchParams(location.search));
      pushState(next);
      formFromState(next);
      fitOnLoad = true;
      showFilterCount();
      void search();
      title.focus();
    });
  }
}

/** When both City and the map area are set and they disagree, say so and offer to drop one. */
async function explainArea(state: URLSearchParams, controller: AbortController) {
  const hint = $("area-hint");
  hint.hidden = true;
  hint.innerHTML = "";
  const found = total ?? results.length;
  const gap = await areaDisagreement(state, found, controller.signal).catch(() => null);
  if (!gap || controller.signal.aborted || loading) return;
  hint.innerHTML = `<span>${escapeHtml(gap.text)}</span>${gap.actions
    .map((a, i) => `<button class="btn secondary small" type="button" data-area="${i}">${escapeHtml(a.label)}</button>`)
    .join("")}`;
  hint.hidden = false;
  for (const b of hint.querySelectorAll<HTMLButtonElement>("button[data-area]")) {
    b.addEventListener("click", () => {
      const next = gap.actions[Number(b.dataset.area)]!.apply(new URLSearchParams(location.search));
      pushState(next);
      formFromState(next);
      fitOnLoad = !next.has("bbox");
      showFilterCount();
      void search();
      title.focus();
    });
  }
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
  placeBox.setText("");
  fitOnLoad = true;
  void search();
});
window.addEventListener("popstate", () => {
  formFromState(new URLSearchParams(location.search));
  void search();
});

// ---- place box ----------------------------------------------------------------------------------

const NEAR_ME_RADIUS_KM = 5;

function applyPlace(state: URLSearchParams, bounds: [number, number, number, number]) {
  pushState(state);
  formFromState(state);
  $("area-chip").hidden = !state.has("bbox");
  areaBtn.hidden = true;
  fitOnLoad = false;
  map.fitBounds(
    [
      [bounds[0], bounds[1]],
      [bounds[2], bounds[3]],
    ],
    { padding: 20, maxZoom: 14, duration: 0 },
  );
  void search();
}

const placeBox = initPlaceBox({
  onChoose: (place: Place) => {
    const state = stateFromForm();
    for (const key of PLACE_KEYS) state.delete(key);
    for (const [key, value] of Object.entries(place.filter)) state.set(key, value);
    applyPlace(state, place.bbox);
  },
  onNearMe: ({ lat, lng }) => {
    const state = stateFromForm();
    for (const key of PLACE_KEYS) state.delete(key);
    state.set("near", `${lat.toFixed(5)},${lng.toFixed(5)}`);
    state.set("radius_km", String(NEAR_ME_RADIUS_KM));
    const dLat = NEAR_ME_RADIUS_KM / 111;
    const dLng = dLat / Math.max(0.1, Math.cos((lat * Math.PI) / 180));
    applyPlace(state, [lng - dLng, lat - dLat, lng + dLng, lat + dLat]);
  },
});
// A page opened with a place shows it in the box.
{
  const opened = new URLSearchParams(location.search);
  placeBox.setText(opened.get("city") ?? opened.get("postal_code") ?? opened.get("state") ?? "");
}

// ---- live updates -------------------------------------------------------------------------------

let newCount = 0;
let newIds: string[] = [];
/** Set by "Show": once the new results are drawn, focus goes to the first new one (not to <body>). */
let focusNewAfterSearch = false;
const banner = $("live-banner");
function hideLiveBanner() {
  newCount = 0;
  banner.hidden = true;
}
$("live-show").addEventListener("click", () => {
  // The button disappears with the banner: hold focus on the results heading while the list reloads,
  // then move it to the first new result (focusAfterShow).
  focusNewAfterSearch = true;
  title.focus();
  hideLiveBanner();
  void search();
});
function focusAfterShow() {
  if (!focusNewAfterSearch) return;
  focusNewAfterSearch = false;
  const ids = newIds;
  newIds = [];
  const card =
    ids.map((id) => cards.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(id)}"]`)).find(Boolean) ??
    cards.querySelector<HTMLElement>(".card[data-id]");
  const link = card?.querySelector<HTMLAnchorElement>("a.title-link");
  if (link) {
    link.focus({ preventScroll: true });
    card!.scrollIntoView({ block: "nearest" });
  } else title.focus();
}

const live = connectLive({
  onState: (s) => {
    $("live-state").textContent = s === "open" ? "● Live" : s === "connecting" ? "Connecting to live updates…" : "";
  },
  onCreated: (p) => {
    if (results.some((r) => r.id === p.id)) return;
    newCount += 1;
    newIds.push(p.id);
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

// ---- "More filters": the rest of the form (on phones also the bar's optional fields) ---------------

const moreToggle = $<HTMLButtonElement>("more-toggle");
function setExpanded(open: boolean) {
  moreToggle.setAttribute("aria-expanded", String(open));
  $("more-filters").hidden = !open;
  form.closest(".filters")?.classList.toggle("expanded", open);
}
moreToggle.addEventListener("click", () => setExpanded(moreToggle.getAttribute("aria-expanded") !== "true"));
function showFilterCount() {
  const n = [...new URLSearchParams(location.search).keys()].filter((k) => k !== "sort" && k !== "bbox").length;
  $("filter-count").textContent = n ? `(${n})` : "";
}
form.addEventListener("submit", (e) => {
  showFilterCount();
  // On a phone the opened filters fold away after a search, so the results are in view.
  if (matchMedia("(max-width: 699px)").matches && e.submitter) setExpanded(false);
});
window.addEventListener("popstate", showFilterCount);
showFilterCount();

// ---- start --------------------------------------------------------------------------------------

replaceBrokenPhotos(cards, ".photo");
formFromState(new URLSearchParams(location.search));
void search();
