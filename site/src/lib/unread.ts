/**
 * The signed-in account's unread count of saved-search matches, live: a stream from
 * `GET /api/v1/live/saved-searches` (docs/saved-searches.md "In the site"). EventSource cannot send the
 * access token (it lives in memory, lib/session.ts), so the stream is read with fetch and parsed by
 * `eventsource-parser`. The server ends a stream after a while; it is opened again with the then-current
 * token (renewed on a 401), and after failures with a growing pause.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { currentSession, renewSession } from "./session";

const STREAM = "/api/v1/live/saved-searches?timeout=300";
const MAX_PAUSE_MS = 60_000;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls `onCount` with every total the server sends; returns a function that stops watching. */
export function watchUnread(onCount: (count: number) => void): () => void {
  let stopped = false;
  let controller: AbortController | null = null;
  void (async () => {
    let failures = 0;
    let renewed = false;
    while (!stopped) {
      try {
        const session = await currentSession();
        if (!session || stopped) return;
        controller = new AbortController();
        const res = await fetch(STREAM, {
          headers: { accept: "text/event-stream", Authorization: `Bearer ${session.access_token}` },
          signal: controller.signal,
        });
        if (res.status === 401 && !renewed) {
          // The access token expired while the page was open: renew it once, then try again.
          renewed = true;
          await renewSession();
          continue;
        }
        if (!res.ok || !res.body) throw new Error(`unread stream: HTTP ${res.status}`);
        renewed = false;
        failures = 0;
        const reader = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
        for (let next = await reader.read(); !next.done; next = await reader.read()) {
          if (next.value.event !== "unread") continue;
          const { unread_count } = JSON.parse(next.value.data) as { unread_count: number };
          if (Number.isInteger(unread_count)) onCount(unread_count);
        }
      } catch {
        if (stopped) return;
        failures++;
      }
      await pause(Math.min(MAX_PAUSE_MS, failures === 0 ? 500 : 1000 * 2 ** failures));
    }
  })();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
