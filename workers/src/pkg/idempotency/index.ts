/**
 * `Idempotency-Key` for write endpoints: the first response to a key (per caller and route) is kept
 * for 24 h and replayed verbatim with `Idempotent-Replayed: true`. A key reused with a different body
 * is 422; a key whose first request is still running is 409. Server errors (5xx) are not kept, so a
 * retry after one runs again. Redis holds the records; if it is unreachable a request that asked for
 * idempotency gets 503 rather than a silent downgrade.
 */
import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { sha256Hex } from "../auth";
import { ApiError, ServiceUnavailableError } from "../errors";
import { log } from "../log";
import { getRedis } from "../redis";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** How long a first request may run before its key can be claimed again. */
const PENDING_TTL_SECONDS = 120;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

type Pending = { state: "pending"; bodyHash: string };
type Done = { state: "done"; bodyHash: string; status: number; contentType: string; body: string };
type StoredRecord = Pending | Done;

async function unavailable<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ServiceUnavailableError("Idempotency keys are unavailable right now (Redis did not answer); retry later.");
  }
}

export function idempotency(): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined) return next();
    if (!KEY_FORMAT.test(key)) {
      throw new ApiError("BAD_REQUEST", `${IDEMPOTENCY_HEADER} must be 1–255 visible ASCII characters.`, {
        details: [{ path: IDEMPOTENCY_HEADER, message: "invalid format" }],
      });
    }
    const identity = c.get("identity");
    const recordKey = `pillow:idem:${await sha256Hex(`${identity?.subject ?? "anonymous"}\n${c.req.method} ${c.req.path}\n${key}`)}`;
    const bodyHash = await sha256Hex(await c.req.text());
    const redis = await unavailable(async () => getRedis(c.env));

    const claimed = await unavailable(() =>
      redis.set(recordKey, JSON.stringify({ state: "pending", bodyHash } satisfies Pending), {
        nx: true,
        ex: PENDING_TTL_SECONDS,
      }),
    );
    if (claimed === null) {
      const stored = await unavailable(() => redis.get<StoredRecord>(recordKey));
      if (stored) {
        if (stored.bodyHash !== bodyHash) {
          throw new ApiError("UNPROCESSABLE", `This ${IDEMPOTENCY_HEADER} was already used with a different request body.`);
        }
        if (stored.state === "pending") {
          throw new ApiError("CONFLICT", `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry shortly.`);
        }
        return new Response(stored.body, {
          status: stored.status,
          headers: { "Content-Type": stored.contentType, [REPLAYED_HEADER]: "true" },
        });
      }
      // The record expired between the two calls: proceed as a first request.
    }

    await next();

    try {
      if (c.res.status >= 500) {
        await redis.del(recordKey);
        return;
      }
      const done: Done = {
        state: "done",
        bodyHash,
        status: c.res.status,
        contentType: c.res.headers.get("content-type") ?? "application/json",
        body: await c.res.clone().text(),
      };
      await redis.set(recordKey, JSON.stringify(done), { ex: IDEMPOTENCY_TTL_SECONDS });
    } catch (err) {
      // The work is done; only the replay record is lost, and a retry will be answered from the data.
      log(c, "warn", { msg: "could not store idempotent response", error: (err as Error).message });
    }
  };
}
