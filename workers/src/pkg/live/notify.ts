/**
 * Tells the LiveHub about changed properties: loads them (one query) and posts them to the hub.
 * Called from `propertiesChanged`; a failure here never fails the write that caused it.
 */
import type { Env } from "../../env";
import type { PropertyChange } from "../changes";
import { LIVE_HUB_NAME, type LiveEvent } from "./hub";
import { loadLiveItems } from "./item";

export async function notifyLiveSubscribers(env: Env, changes: PropertyChange[]): Promise<number> {
  const hub = env.LIVE_HUB;
  if (!hub) return 0;
  const relevant = changes.filter((c) => c.outcome !== "unchanged");
  if (relevant.length === 0) return 0;
  const kindById = new Map(relevant.map((c) => [c.id, c.outcome === "created" ? ("created" as const) : ("changed" as const)]));
  const items = await loadLiveItems(env, [...kindById.keys()]);
  const events: LiveEvent[] = items.map((item) => ({ kind: kindById.get(item.id) ?? "changed", item }));
  if (events.length === 0) return 0;
  const res = await hub.get(hub.idFromName(LIVE_HUB_NAME)).fetch("https://live-hub/notify", {
    method: "POST",
    body: JSON.stringify(events),
  });
  const { delivered } = (await res.json()) as { delivered: number };
  return delivered;
}
