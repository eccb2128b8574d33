import type { Context } from "hono";

/**
 * Work that may finish after the response is sent (cache writes, bookkeeping): handed to the
 * runtime's `waitUntil`, so the client does not wait for it. Where there is no execution context
 * (the app called directly, as some tests do) the promise simply runs on its own.
 */
export function afterResponse(c: Context): (work: Promise<unknown>) => void {
  return (work) => {
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      void work;
    }
  };
}
