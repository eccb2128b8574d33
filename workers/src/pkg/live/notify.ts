/**
 * Tells the LiveHub which properties changed. Only ids travel: the hub loads the items itself, and
 * only when a page is subscribed, so an ingest batch pays nothing for live updates nobody watches.
 * Called from `propertiesChanged`; a failure here never fails the write that caused it.
 */
import type { Env } from "../../env";
import type { PropertyChange } from "../changes";
import { LIVE_HUB_NAME, type LiveChange } from "./protocol";

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
