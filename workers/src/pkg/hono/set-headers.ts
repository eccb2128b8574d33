import type { Context } from "hono";
import type { HonoEnv } from "../../env";

/**
 * Sets headers on the outgoing response. A response passed through from `fetch` (e.g. `ASSETS.fetch`)
 * has immutable headers; it is then copied once so middleware can still add its headers.
 */
export function setResponseHeaders(c: Context<HonoEnv>, headers: Record<string, string>, options: { append?: boolean } = {}) {
  const apply = (target: Headers) => {
    for (const [k, v] of Object.entries(headers)) {
      if (options.append) target.append(k, v);
      else target.set(k, v);
    }
  };
  try {
    apply(c.res.headers);
  } catch {
    const copy = new Response(c.res.body, c.res);
    apply(copy.headers);
    c.res = undefined;
    c.res = copy;
  }
}
