/**
 * Request body size limits. Every write to `/api/*` is capped at `DEFAULT_BODY_LIMIT_BYTES`; a route
 * that needs more (the ingest batch) raises its own cap with `allowBodyUpTo(pattern, bytes)` when it
 * registers. Bodies over the cap are 413 PAYLOAD_TOO_LARGE in the error envelope, whether they declare
 * a Content-Length or stream without one.
 *
 * The limit is our own rather than `hono/body-limit`: a body that goes over the cap (or announces that it
 * will) is read on and discarded, for a bounded number of bytes and time, before the 413 is sent. A client that sends
 * its whole body before it reads the answer would otherwise see the connection closed under it and
 * get the status line at best, without the envelope.
 */
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { HonoEnv } from "../../env";
import { ApiError } from "../errors";

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const DEFAULT_BODY_LIMIT_BYTES = 64 * KiB;

/** Route pattern (as registered, e.g. `/api/v1/ingest/batch`) → its larger cap. */
const raisedLimits = new Map<string, number>();

/** Lets one route accept bodies up to `bytes`; call it from the route's `registerX(app)`. */
export function allowBodyUpTo(routePattern: string, bytes: number): void {
  raisedLimits.set(routePattern.replace(/\{(\w+)\}/g, ":$1"), bytes);
}

export function bodyLimitFor(patterns: string[]): number {
  let limit = DEFAULT_BODY_LIMIT_BYTES;
  for (const p of patterns) limit = Math.max(limit, raisedLimits.get(p) ?? 0);
  return limit;
}

function formatBytes(n: number): string {
  return n >= MiB ? `${n / MiB} MiB` : `${n / KiB} KiB`;
}

/** How much of an oversized streamed body is read and dropped before answering 413, and for how long. */
const DRAIN_MAX_BYTES = 16 * MiB;
const DRAIN_MAX_MS = 2_000;

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const deadline = Date.now() + DRAIN_MAX_MS;
  let drained = 0;
  try {
    while (drained < DRAIN_MAX_BYTES && Date.now() < deadline) {
      const left = deadline - Date.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<undefined>((r) => {
          timer = setTimeout(() => r(undefined), left);
        }),
      ]).finally(() => clearTimeout(timer));
      if (!chunk || chunk.done) return;
      drained += chunk.value.byteLength;
    }
  } catch {
    // The client went away: nothing left to drain.
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** Reads the whole body up to `maxSize` bytes; `undefined` when it is larger (the rest drained). */
async function readCapped(body: ReadableStream<Uint8Array>, maxSize: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxSize) {
      await drain(reader);
      return undefined;
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}

/** Applies the cap of the matched route (the default unless the route raised it). */
export function limitRequestBodies(): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
    const raw = c.req.raw;
    if (!raw.body) return next();
    const maxSize = bodyLimitFor(matchedRoutes(c).map((r) => r.path));
    const tooLarge = () => new ApiError("PAYLOAD_TOO_LARGE", `The request body exceeds ${formatBytes(maxSize)}.`);
    const announced = raw.headers.get("content-length");
    if (announced !== null && !raw.headers.has("transfer-encoding") && Number(announced) > maxSize) {
      // Announced too large: nothing is kept, but what the client is already sending is read out (bounded), as below.
      await drain(raw.body.getReader());
      throw tooLarge();
    }
    const body = await readCapped(raw.body, maxSize);
    if (body === undefined) throw tooLarge();
    c.req.raw = new Request(raw, { body });
    return next();
  };
}
