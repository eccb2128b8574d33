/**
 * LiveHub: the Durable Object that holds the Server-Sent-Events streams of open search pages. The
 * ingest path (through `propertiesChanged`) posts the ids of changed properties to `/notify`; while
 * pages are subscribed the hub loads those properties (one query) and sends each one to the
 * subscribers whose filters it matches. Streams live in memory only: a subscriber that
 * reconnects simply subscribes again, so there is nothing to persist.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env";
import { type LiveFilters, matches } from "./filters";
import { type LiveItem, loadLiveItems } from "./item";
import type { LiveChange, SubscribeRequest } from "./protocol";
import { writeWithin } from "./stream-write";

type LiveEvent = { kind: LiveChange["kind"]; item: LiveItem };

type Subscriber = { filters: LiveFilters; writer: WritableStreamDefaultWriter<Uint8Array>; timer: ReturnType<typeof setTimeout> };

const HEARTBEAT_MS = 20_000;
/** A subscriber that has not taken a write within this long has stopped reading: it is dropped. */
const WRITE_DEADLINE_MS = 5_000;
const encoder = new TextEncoder();

export class LiveHub extends DurableObject<Env> {
  private subscribers = new Set<Subscriber>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  override async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === "/subscribe") return this.subscribe((await request.json()) as SubscribeRequest);
    if (request.method === "POST" && path === "/notify") {
      const delivered = await this.notify((await request.json()) as LiveChange[]);
      return Response.json({ delivered, subscribers: this.subscribers.size });
    }
    return new Response("not found", { status: 404 });
  }

  private subscribe({ filters, timeoutSeconds }: SubscribeRequest): Response {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const subscriber: Subscriber = {
      filters,
      writer,
      // Streams end after a while; EventSource reconnects by itself (after `retry` ms).
      timer: setTimeout(() => void this.drop(subscriber, "close"), timeoutSeconds * 1000),
    };
    this.subscribers.add(subscriber);
    void this.write(subscriber, `retry: 2000\nevent: ready\ndata: {"subscribers":${this.subscribers.size}}\n\n`);
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
    if (this.subscribers.size === 0 || changes.length === 0) return 0;
    const kindById = new Map(changes.map((c) => [c.id, c.kind]));
    const items = await loadLiveItems(this.env, [...kindById.keys()]);
    const events: LiveEvent[] = items.map((item) => ({ kind: kindById.get(item.id) ?? "changed", item }));
    let delivered = 0;
    for (const subscriber of this.subscribers) {
      for (const event of events) {
        if (!matches(event.item, subscriber.filters)) continue;
        const { features: _f, description: _d, ...item } = event.item;
        delivered++;
        void this.write(subscriber, `event: ${event.kind}\ndata: ${JSON.stringify(item)}\n\n`);
      }
    }
    return delivered;
  }

  private async write(subscriber: Subscriber, text: string): Promise<void> {
    const outcome = await writeWithin(subscriber.writer, encoder.encode(text), WRITE_DEADLINE_MS);
    // A page that went away (failed) or stopped reading (stalled): forget it and end its stream.
    if (outcome !== "written") await this.drop(subscriber, "abort");
  }

  private async drop(subscriber: Subscriber, end: "close" | "abort"): Promise<void> {
    if (!this.subscribers.delete(subscriber)) return;
    clearTimeout(subscriber.timer);
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
