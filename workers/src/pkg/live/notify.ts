/**
 * Tells the LiveHub which properties changed. Only ids travel: the hub loads the items itself, and
 * only when a page is subscribed, so an ingest batch pays nothing for live updates nobody watches.
 * Called from `propertiesChanged`; a failure here never fails the write that caused it.
 */
import type { Env } from "../../env";
import type { PropertyChange } from "../changes";
import { log } from "../log";
import { LIVE_HUB_NAME, type LiveChange, type SavedSearchesMatched } from "./protocol";

export async function notifyLiveSubscribers(env: Env, changes: PropertyChange[]): Promise<number> {
  const hub = env.LIVE_HUB;
  if (!hub) return 0;
  const kindById = new Map<string, LiveChange["kind"]>();
  for (const c of changes) if (c.outcome !== "unchanged") kindById.set(c.id, c.outcome === "created" ? "created" : "changed");
  if (kindById.size === 0) return 0;
  const body: LiveChange[] = [...kindById].map(([id, kind]) => ({ id, kind }));
  const res = await hub.get(hub.idFromName(LIVE_HUB_NAME)).fetch("https://live-hub/notify", {
    method: "POST",
    body: JSON.stringify(body),
  });
  const { delivered } = (await res.json()) as { delivered: number };
  return delivered;
}

/**
 * Tells the LiveHub which saved searches just recorded events, so their owners' open pages update their
 * unread count. Called by matching (saved-searches/match.ts) after it inserted events; like the above,
 * a failure only costs open pages one update and never fails matching.
 */
export async function notifySavedSearchOwners(env: Env, savedSearchIds: string[]): Promise<void> {
  const hub = env.LIVE_HUB;
  const ids = [...new Set(savedSearchIds)];
  if (!hub || ids.length === 0) return;
  try {
    const body: SavedSearchesMatched = { savedSearchIds: ids };
    const res = await hub.get(hub.idFromName(LIVE_HUB_NAME)).fetch("https://live-hub/notify-saved-searches", {
      method: "POST",
      body: JSON.stringify(body),
    });
    await res.body?.cancel();
  } catch (err) {
    log(undefined, "warn", { msg: "could not notify saved-search owners", error: (err as Error).message });
  }
}
