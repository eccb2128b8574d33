import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { setResponseHeaders } from "./set-headers";

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a caller's `X-Request-Id` when it is sane, otherwise makes one; echoes it on every response. */
export function requestId(): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const given = c.req.header("x-request-id");
    const id = given && SAFE_ID.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    setResponseHeaders(c, { "X-Request-Id": id });
  };
}
