/**
 * The place box's behaviour (markup: src/components/PlaceBox.astro). Suggestions come from
 * GET /api/v1/places as the person types (debounced, the previous request aborted); choosing one hands
 * the place to the page. "Near me" asks for the browser's position only when pressed.
 */
import { ApiFailure, apiGet } from "../lib/api";
import { escapeHtml, num } from "../lib/format";

export type Place = {
  id: string;
  kind: "locality" | "postcode" | "region";
  name: string;
  label: string;
  country: string;
  region: string | null;
  centre: { lat: number; lng: number };
  bbox: [number, number, number, number];
  property_count: number;
  filter: Record<string, string>;
};

export type PlaceBoxHandlers = {
  onChoose: (place: Place) => void;
  onNearMe: (position: { lat: number; lng: number }) => void;
};

const DEBOUNCE_MS = 150;
const LIMIT = 8;

export function initPlaceBox(handlers: PlaceBoxHandlers): { setText: (text: string) => void } {
  const input = document.getElementById("place-input") as HTMLInputElement;
  const list = document.getElementById("place-list") as HTMLUListElement;
  const status = document.getElementById("place-status") as HTMLElement;
  const nearMe = document.getElementById("near-me") as HTMLButtonElement;
  let places: Place[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: AbortController | null = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(i: number) {
    active = i;
    for (const [j, li] of Array.from(list.children).entries()) li.setAttribute("aria-selected", String(j === i));
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", `place-option-${i}`);
      list.children[i]?.scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }

  /** Shows `places`; an option the person had moved to stays active if the new list still holds it. */
  function render(query: string, previous: Place | undefined = undefined) {
    if (places.length === 0) {
      list.innerHTML = `<li class="empty" role="option" aria-disabled="true" aria-selected="false">No place matches “${escapeHtml(query)}”</li>`;
    } else {
      list.innerHTML = places
        .map(
          (p, i) =>
            `<li id="place-option-${i}" role="option" aria-selected="false" data-index="${i}"><span>${escapeHtml(p.label)}</span>` +
            `<span class="kind">${p.kind}${p.property_count ? ` · ${num(p.property_count)}` : ""}</span></li>`,
        )
        .join("");
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    setActive(previous ? places.findIndex((p) => p.id === previous.id) : -1);
    status.textContent =
      places.length === 0 ? "No places found" : `${places.length} ${places.length === 1 ? "place" : "places"} found`;
  }

  async function suggest() {
    const query = input.value.trim();
    pending?.abort();
    if (query === "") {
      places = [];
      close();
      return;
    }
    const controller = new AbortController();
    pending = controller;
    try {
      const res = await apiGet<{ data: Place[] }>(
        `/api/v1/places?${new URLSearchParams({ q: query, limit: String(LIMIT) })}`,
        controller.signal,
      );
      if (controller !== pending) return;
      // A late answer (typing went on) may replace the list the person is already moving through.
      const previous = !list.hidden && active >= 0 ? places[active] : undefined;
      places = res.data;
      render(query, previous);
    } catch (err) {
      if ((err as Error).name === "AbortError") return;
      places = [];
      close();
      status.textContent = err instanceof ApiFailure ? err.message : "Places could not be loaded.";
    }
  }

  function choose(i: number) {
    const place = places[i];
    if (!place) return;
    input.value = place.label;
    close();
    status.textContent = `${place.label} chosen`;
    handlers.onChoose(place);
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => void suggest(), DEBOUNCE_MS);
  });
  input.addEventListener("keydown", (e) => {
    const open = !list.hidden && places.length > 0;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) {
        if (places.length > 0) render(input.value.trim());
        else void suggest();
        return;
      }
      const last = places.length - 1;
      setActive(e.key === "ArrowDown" ? (active >= last ? 0 : active + 1) : active <= 0 ? last : active - 1);
    } else if (e.key === "Enter") {
      // The box has no name: Enter never submits the form from here, it chooses (the first match by default).
      e.preventDefault();
      if (open) choose(Math.max(active, 0));
    } else if (e.key === "Escape") {
      if (!list.hidden) {
        e.preventDefault();
        close();
      } else input.value = "";
    } else if (e.key === "Tab") close();
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  // mousedown, not click: the input keeps the focus (and the list stays until the choice is made).
  list.addEventListener("mousedown", (e) => {
    const li = (e.target as HTMLElement).closest<HTMLElement>("li[data-index]");
    if (!li) return;
    e.preventDefault();
    choose(Number(li.dataset.index));
  });

  nearMe.addEventListener("click", () => {
    if (!("geolocation" in navigator)) {
      status.textContent = "This browser cannot tell your position.";
      return;
    }
    nearMe.disabled = true;
    status.textContent = "Finding your position…";
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        nearMe.disabled = false;
        input.value = "";
        status.textContent = "Showing properties near you";
        handlers.onNearMe({ lat: pos.coords.latitude, lng: pos.coords.longitude });
      },
      (err) => {
        nearMe.disabled = false;
        status.textContent =
          err.code === err.PERMISSION_DENIED
            ? "Your position was not shared; type a place instead."
            : "Your position could not be found.";
      },
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 300_000 },
    );
  });

  return {
    setText: (text: string) => {
      input.value = text;
    },
  };
}
