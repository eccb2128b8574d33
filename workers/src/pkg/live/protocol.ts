/**
 * What the LiveHub and its callers exchange. Kept apart from the hub itself, which needs the Workers
 * runtime, so that writers (and the ingest pipeline they run) import only plain types and names.
 */
import type { LiveFilters } from "./filters";

/** The single hub instance's name; one hub fans out to every open page. */
export const LIVE_HUB_NAME = "global";

/** A property a writer changed: posted to the hub's `/notify`. */
export type LiveChange = { id: string; kind: "created" | "changed" };

/** A page's subscription: posted to the hub's `/subscribe`. */
export type SubscribeRequest = { filters: LiveFilters; timeoutSeconds: number };
