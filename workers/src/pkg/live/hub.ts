/**
 * LiveHub: the Durable Object that holds the Server-Sent-Events streams of open search pages. The
 * ingest path (through `propertiesChanged`) posts the ids of changed properties to `/notify`; while
 * pages are subscribed the hub loads those properties (one query) and sends each one to the
 * subscribers whose filters it matches. Signed-in accounts subscribe to their unread count of
 * saved-search matches: matching posts the saved searches that recorded events to
 * `/notify-saved-searches`, and each owner with an open stream gets its own new total, nobody else's.
 * Streams live in memory only: a subscriber that reconnects simply subscribes again, so there is
 * nothing to persist.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env";
import { unreadTotal, unreadTotalsOf } from "../saved-searches/unread";
import { type LiveFilters, matches } from "./filters";
import { type LiveItem, loadLiveItems } from "./item";
import type { LiveChange, SavedSearchesMatched, SubscribeRequest, UnreadMessage } from "./protocol";
import { writeWithin } from "./stream-write";

type LiveEvent = { kind: LiveChange["kind"]; item: LiveItem };

/** A search page (`filters`) or an account's unread count (`userId`); exactly one of the two is set. */
type Subscriber = {
  filters: LiveFilters | null;
  userId: string | null;
  /** Set once an unread total was written, so the subscribe-time total never overwrites a newer one. */
  sentUnread?: boolean;
  writer: WritableStreamDefaultWriter<Uint8Array>;
  timer: ReturnType<typeof setTimeout>;
};

const HEARTBEAT_MS = 20_000;
/** A subscriber that has not taken a write within this long has stopped reading: it is dropped. */
const WRITE_DEADLINE_MS = 5_000;
const encoder = new TextEncoder();

export class LiveHub extends DurableObject<Env> {
  private subscribers = new Set<Subscriber>();
  /** The account subscribers, by user id. */
  private accounts = new Map<string, Set<Subscriber>>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  override async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === "/subscribe") return this.subscribe((await request.json()) as SubscribeRequest);
    if (request.method === "POST" && path === "/notify") {
      const delivered = await this.notify((await request.json()) as LiveChange[]);
      return Response.json({ delivered, subscribers: this.subscribers.size });
    }
    if (request.method === "POST" && path === "/notify-saved-searches") {
      const delivered = await this.notifyAccounts((await request.json()) as SavedSearchesMatched);
      return Response.json({ delivered });
    }
    return new Response("not found", { status: 404 });
  }

  private subscribe(request: SubscribeRequest): Response {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const userId = "userId" in request ? request.userId : null;
    const subscriber: Subscriber = {
      filters: "filters" in request ? request.filters : null,
      userId,
      writer,
      // Streams end after a while; EventSource reconnects by itself (after `retry` ms).
      timer: setTimeout(() => void this.drop(subscriber, "close"), request.timeoutSeconds * 1000),
    };
    this.subscribers.add(subscriber);
    void this.write(subscriber, `retry: 2000\nevent: ready\ndata: {"subscribers":${this.subscribers.size}}\n\n`);
    if (userId !== null) {
      const own = this.accounts.get(userId) ?? new Set<Subscriber>();
      own.add(subscriber);
      this.accounts.set(userId, own);
      // The current total first, so a page shows the count without a request of its own.
      void unreadTotal(this.env, userId).then(
        (count) => subscriber.sentUnread || this.writeUnread(subscriber, count),
        () => undefined,
      );
    }
    this.startHeartbeat();
    return new Response(readable, {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" },
    });
  }

  /**
   * Loads the changed properties if anyone is subscribed, queues each for the subscribers it matches
   * and returns: the writer that changed the properties (an ingest request) must not wait for open
   * pages to read. Writes to a page finish, or drop it, on their own.
   */
  private async notify(changes: LiveChange[]): Promise<number> {
    if (changes.length === 0 || ![...this.subscribers].some((s) => s.filters !== null)) return 0;
    const kindById = new Map(changes.map((c) => [c.id, c.kind]));
    const items = await loadLiveItems(this.env, [...kindById.keys()]);
    const events: LiveEvent[] = items.map((item) => ({ kind: kindById.get(item.id) ?? "changed", item }));
    let delivered = 0;
    for (const subscriber of this.subscribers) {
      if (subscriber.filters === null) continue;
      for (const event of events) {
        if (!matches(event.item, subscriber.filters)) continue;
        const { features: _f, description: _d, ...item } = event.item;
        delivered++;
        void this.write(subscriber, `event: ${event.kind}\ndata: ${JSON.stringify(item)}\n\n`);
      }
    }
    return delivered;
  }

  /**
   * The owners of saved searches that recorded events, among the accounts with open streams, each get
   * their own new unread total (one query for all of them). Nothing is loaded when no account listens.
   */
  private async notifyAccounts({ savedSearchIds }: SavedSearchesMatched): Promise<number> {
    if (this.accounts.size === 0 || savedSearchIds.length === 0) return 0;
    const totals = await unreadTotalsOf(this.env, savedSearchIds, [...this.accounts.keys()]);
    let delivered = 0;
    for (const [userId, count] of totals) {
      for (const subscriber of this.accounts.get(userId) ?? []) {
        delivered++;
        this.writeUnread(subscriber, count);
      }
    }
    return delivered;
  }

  private writeUnread(subscriber: Subscriber, count: number) {
    subscriber.sentUnread = true;
    const message: UnreadMessage = { unread_count: count };
    void this.write(subscriber, `event: unread\ndata: ${JSON.stringify(message)}\n\n`);
  }

  private async write(subscriber: Subscriber, text: string): Promise<void> {
    const outcome = await writeWithin(subscriber.writer, encoder.encode(text), WRITE_DEADLINE_MS);
    // A page that went away (failed) or stopped reading (stalled): forget it and end its stream.
    if (outcome !== "written") await this.drop(subscriber, "abort");
  }

  private async drop(subscriber: Subscriber, end: "close" | "abort"): Promise<void> {
    if (!this.subscribers.delete(subscriber)) return;
    clearTimeout(subscriber.timer);
    if (subscriber.userId !== null) {
      const own = this.accounts.get(subscriber.userId);
      own?.delete(subscriber);
      if (own?.size === 0) this.accounts.delete(subscriber.userId);
    }
    if (end === "close") await subscriber.writer.close().catch(() => undefined);
    else await subscriber.writer.abort("subscriber gone").catch(() => undefined);
    if (this.subscribers.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  /** A comment line keeps idle connections (and proxies) from timing out and finds dead subscribers. */
  private startHeartbeat() {
    this.heartbeat ??= setInterval(() => {
      for (const subscriber of this.subscribers) void this.write(subscriber, ": ping\n\n");
    }, HEARTBEAT_MS);
  }
}
