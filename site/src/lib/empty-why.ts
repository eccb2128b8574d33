/**
 * Why a search is empty, and whether City and the map area disagree, asked of the API itself: each
 * question is a count (`limit=1&count=true`) of the same search with one filter lifted. The API's own
 * `hint` (an empty answer whose `status` filter left out matching listings) is used when it is there.
 */
import { apiGet, type Page } from "./api";
import { apiQuery, FILTERS, STATE_KEYS } from "./filters";
import { label, num } from "./format";

export type Lift = { text: string; action: string; apply: (state: URLSearchParams) => URLSearchParams };
export type EmptyWhy = {
  summary: string;
  lifts: Lift[];
  apiHint?: { filter: string; message: string; other_statuses: Record<string, number>; suggested_status: string };
};

/** At most this many filters are tried, in parallel, one count each. */
const MAX_PROBES = 8;

const NAMES: Record<string, string> = {
  ...Object.fromEntries(FILTERS.map((f) => [f.name, f.label])),
  status: "Status",
  property_type: "Property type",
  bbox: "Map area",
  polygon: "Drawn area",
  near: "Near",
};

/** The filters a person set, as groups lifted together (a radius goes with its centre). */
function filterGroups(state: URLSearchParams): string[][] {
  const keys = STATE_KEYS.filter((k) => k !== "sort" && k !== "radius_km" && state.get(k)?.trim());
  return keys.map((k) => (k === "near" ? ["near", "radius_km"] : [k]));
}

function without(state: URLSearchParams, keys: string[]): URLSearchParams {
  const next = new URLSearchParams(state);
  for (const k of keys) next.delete(k);
  return next;
}

async function count(state: URLSearchParams, signal?: AbortSignal): Promise<number> {
  const q = apiQuery(state, { limit: "1", count: "true", fields: "id" });
  q.delete("sort");
  const page = await apiGet<Page<unknown>>(`/api/v1/properties?${q}`, signal);
  return page.pagination.total ?? page.data.length;
}

const matches = (n: number) => `${num(n)} ${n === 1 ? "property matches" : "properties match"}`;

export async function whyEmpty(
  state: URLSearchParams,
  apiHint: EmptyWhy["apiHint"] | undefined,
  signal?: AbortSignal,
): Promise<EmptyWhy> {
  const lifts: Lift[] = [];
  if (apiHint?.filter === "status") {
    const n = Object.values(apiHint.other_statuses).reduce((a, b) => a + b, 0);
    const kinds = Object.keys(apiHint.other_statuses).map(label).join(", ");
    lifts.push({
      text: `Status “${label(state.get("status") ?? "active")}” emptied it: ${matches(n)} if ${kinds} listings are included.`,
      action: `Include ${kinds} listings`,
      apply: (s) => {
        const next = new URLSearchParams(s);
        next.set("status", apiHint.suggested_status);
        return next;
      },
    });
  }
  const groups = filterGroups(state)
    .filter((g) => !(apiHint && g[0] === "status"))
    .slice(0, MAX_PROBES);
  const counts = await Promise.all(groups.map((g) => count(without(state, g), signal).catch(() => 0)));
  groups.forEach((g, i) => {
    const n = counts[i]!;
    if (n === 0) return;
    const name = NAMES[g[0]!] ?? g[0]!;
    const value = g[0] === "bbox" || g[0] === "polygon" ? "" : ` “${label(state.get(g[0]!))}”`;
    const isStatus = g[0] === "status";
    lifts.push({
      text: `${name}${value} emptied it: without it ${matches(n)}.`,
      action: isStatus ? "Include sold and off-market listings" : `Remove ${name}`,
      apply: (s) => without(s, g),
    });
  });
  const summary =
    lifts.length === 1 ? "One filter is the reason:" : lifts.length > 1 ? "Each of these filters alone empties the result:" : "";
  return { summary, lifts, apiHint };
}

export type AreaGap = { text: string; actions: Array<{ label: string; apply: (s: URLSearchParams) => URLSearchParams }> };

/**
 * City and "Search this area" together: the result is what lies in both. When the area holds
 * properties of other places, or the city has properties outside the area, the page says so.
 */
export async function areaDisagreement(state: URLSearchParams, found: number, signal?: AbortSignal): Promise<AreaGap | null> {
  const city = state.get("city")?.trim();
  if (!city || !state.get("bbox")) return null;
  const [inArea, inCity] = await Promise.all([count(without(state, ["city"]), signal), count(without(state, ["bbox"]), signal)]);
  const parts: string[] = [];
  const actions: AreaGap["actions"] = [];
  if (inArea > found) {
    parts.push(
      `The map area holds ${num(inArea)} matching properties, but the City filter “${city}” keeps ${num(found)} of them.`,
    );
    actions.push({ label: "Search the whole area (remove City)", apply: (s) => without(s, ["city"]) });
  }
  if (inCity > found) {
    const outside = inCity - found;
    parts.push(
      `${num(outside)} ${outside === 1 ? "property" : "properties"} in “${city}” ${outside === 1 ? "lies" : "lie"} outside the map area.`,
    );
    actions.push({ label: `Show all of ${city} (clear map area)`, apply: (s) => without(s, ["bbox"]) });
  }
  return parts.length ? { text: parts.join(" "), actions } : null;
}
