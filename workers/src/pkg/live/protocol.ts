/**
 * What the LiveHub and its callers exchange. Kept apart from the hub itself, which needs the Workers
 * runtime, so that writers (and the ingest pipeline they run) import only plain types and names.
 */
import type { LiveFilters } from "./filters";

/** The single hub instance's name; one hub fans out to every open page. */
export const LIVE_HUB_NAME = "global";

/** A property a writer changed: posted to the hub's `/notify`. */
export type LiveChange = { id: string; kind: "created" | "changed" };

/**
 * A subscription, posted to the hub's `/subscribe`: a search page's (its filters), or a signed-in
 * account's unread count of saved-search matches (its user id, which the route takes from the caller's
 * credentials, never from the request).
 */
export type SubscribeRequest = { timeoutSeconds: number } & ({ filters: LiveFilters } | { userId: string });

/** Saved searches that just recorded events: posted to the hub's `/notify-saved-searches`. */
export type SavedSearchesMatched = { savedSearchIds: string[] };

/** What an account's stream receives: the total of its saved searches' unread events. */
export type UnreadMessage = { unread_count: number };
