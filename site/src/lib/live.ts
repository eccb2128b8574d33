/**
 * Live updates for an open search: an EventSource on /api/v1/live with the search's filters. The
 * stream is reopened whenever the filters change; the browser reconnects on its own when it drops.
 */
import type { Property } from "./api";

type LiveHandlers = {
  onCreated: (p: Property) => void;
  onChanged: (p: Partial<Property> & { id: string }) => void;
  onState?: (state: "connecting" | "open" | "closed") => void;
};

const LIVE_KEYS_DROPPED = ["sort", "limit", "cursor", "count", "offset", "fields"];

export function connectLive(handlers: LiveHandlers) {
  let source: EventSource | null = null;
  let current = "";
  return {
    update(filters: URLSearchParams) {
      const q = new URLSearchParams(filters);
      for (const k of LIVE_KEYS_DROPPED) q.delete(k);
      const qs = q.toString();
      if (source && qs === current) return;
      current = qs;
      source?.close();
      if (typeof EventSource === "undefined") return;
      handlers.onState?.("connecting");
      source = new EventSource(`/api/v1/live?${qs}`);
      source.addEventListener("open", () => handlers.onState?.("open"));
      source.addEventListener("error", () =>
        handlers.onState?.(source?.readyState === EventSource.CLOSED ? "closed" : "connecting"),
      );
      source.addEventListener("created", (e) => handlers.onCreated(JSON.parse((e as MessageEvent).data)));
      source.addEventListener("changed", (e) => handlers.onChanged(JSON.parse((e as MessageEvent).data)));
    },
  };
}
