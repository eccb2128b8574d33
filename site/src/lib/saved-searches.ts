/**
 * The site's client of the saved-search API (docs/saved-searches.md): every call with the session's
 * access token (lib/session.ts), failures as AuthFailure with the API's own message.
 */
import { ANY_STATUS, apiQuery } from "./filters";
import { authFetch } from "./session";

export const EVENT_KINDS = ["new_match", "price_drop", "status_change", "back_on_market"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const EVENT_LABELS: Record<EventKind, string> = {
  new_match: "New listings",
  price_drop: "Price drops",
  status_change: "Under offer, sold or off the market",
  back_on_market: "Back on the market",
};

export type SavedSearch = {
  id: string;
  name: string;
  query: string;
  events: EventKind[];
  webhook_url: string | null;
  webhook_enabled: boolean;
  webhook_disabled_reason: string | null;
  paused: boolean;
  unread_count: number;
  created_at: string;
  updated_at: string;
};

export type SavedSearchEvent = {
  id: string;
  kind: EventKind;
  property_id: string;
  change: Record<string, unknown>;
  property: {
    title: string | null;
    status: string;
    price: number | null;
    currency: string;
    city: string | null;
    country: string;
  };
  created_at: string;
};

export type Delivery = {
  id: string;
  kind: EventKind;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  response_code: number | null;
  error: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  created_at: string;
};

const BASE = "/api/v1/saved-searches";
/** Paging and presentation parameters are not part of a saved search (the API drops them too). */
const NOT_SAVED = ["sort", "limit", "cursor", "count", "offset", "fields"];

/** The search page's URL → the query a saved search keeps: every filter the page sends, map area and place included. */
export function savedQueryOf(pageSearch: URLSearchParams): string {
  const query = apiQuery(pageSearch);
  for (const key of NOT_SAVED) query.delete(key);
  return query.toString();
}

/** A saved query → the search page's URL (the page's own default, any status, is left out). */
export function searchPageUrl(query: string): string {
  const params = new URLSearchParams(query);
  if (params.get("status") === ANY_STATUS) params.delete("status");
  const qs = params.toString();
  return qs ? `/?${qs}` : "/";
}

export const listSavedSearches = () => authFetch<{ data: SavedSearch[] }>(BASE).then((r) => r.data);

export const createSavedSearch = (body: { name: string; query: string; events: EventKind[] }) =>
  authFetch<{ data: SavedSearch }>(BASE, { method: "POST", body }).then((r) => r.data);

export const updateSavedSearch = (id: string, body: Partial<Pick<SavedSearch, "name" | "events" | "paused">>) =>
  authFetch<{ data: SavedSearch }>(`${BASE}/${encodeURIComponent(id)}`, { method: "PATCH", body }).then((r) => r.data);

export const deleteSavedSearch = (id: string) => authFetch(`${BASE}/${encodeURIComponent(id)}`, { method: "DELETE" });

/** A page of matches, newest first; the first page also marks them read. */
export function savedSearchEvents(id: string, cursor?: string | null, limit = 10) {
  const q = new URLSearchParams({ limit: String(limit) });
  if (cursor) q.set("cursor", cursor);
  return authFetch<{ data: SavedSearchEvent[]; pagination: { next_cursor: string | null } }>(
    `${BASE}/${encodeURIComponent(id)}/events?${q}`,
  );
}

/** The newest webhook delivery, for the delivery status. */
export const latestDelivery = (id: string) =>
  authFetch<{ data: Delivery[] }>(`${BASE}/${encodeURIComponent(id)}/deliveries?limit=1`).then((r) => r.data[0] ?? null);
