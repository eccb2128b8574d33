/**
 * The driver floor: the least any Worker can do with the API's SQL on this stack. A Worker of a few
 * lines, in the same workerd, sends a request's recorded statements through the same Neon HTTP driver
 * and the same stand-in, and answers the rows as JSON: no routing, validation, auth, rate limit, cache,
 * item shaping or ETag. What the API takes above it is Pillow's own; what it takes above the direct
 * SQL floor is the HTTP hops, the driver's decoding and the runtime.
 *
 * Statements run one after another, each in its own round trip, except the statements of one
 * non-interactive transaction (the stand-in reports its BEGIN and COMMIT), which go as one batch, as
 * the API sends them.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import type { ObservedQuery } from "../scripts/local/neon-http.ts";

export type DriverFloorWorker = { url: string; stop: () => Promise<void> };

type Step = { query: string; params: unknown[] } | { transaction: Array<{ query: string; params: unknown[] }> };

const WORKER = `
import { neon, neonConfig } from "./neon.mjs";
export default {
  async fetch(request, env) {
    neonConfig.fetchEndpoint = () => env.NEON_HTTP_ENDPOINT;
    const sql = neon(env.DATABASE_URL);
    let rows = [];
    for (const step of await request.json()) {
      if (step.transaction) rows = (await sql.transaction(step.transaction.map((s) => sql.query(s.query, s.params)))).at(-1);
      else rows = await sql.query(step.query, step.params);
    }
    return Response.json({ success: true, data: rows });
  },
};`;

export async function startDriverFloor(bindings: {
  DATABASE_URL: string;
  NEON_HTTP_ENDPOINT: string;
}): Promise<DriverFloorWorker> {
  const { compatibilityDate } = unstable_getMiniflareWorkerOptions("wrangler.toml").workerOptions;
  const neonModule = createRequire(import.meta.url)
    .resolve("@neondatabase/serverless")
    .replace(/index\.js$/, "index.mjs");
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      workers: [
        {
          name: "driver-floor",
          compatibilityDate,
          unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
          modules: [
            { type: "ESModule", path: "worker.mjs", contents: WORKER },
            { type: "ESModule", path: "neon.mjs", contents: readFileSync(neonModule, "utf8") },
          ],
          bindings,
        },
      ],
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  await mf.ready;
  const url = (await mf.unsafeGetDirectURL("driver-floor")).origin;
  return { url, stop: () => mf.dispose().catch(() => {}) };
}

/** One request's statements as the floor Worker's body: transactions kept together, their BEGIN/COMMIT dropped. */
export function driverFloorBody(statements: ObservedQuery[]): string {
  const steps: Step[] = [];
  let open: Array<{ query: string; params: unknown[] }> | undefined;
  for (const s of statements) {
    if (/^\s*BEGIN\b/i.test(s.query)) open = [];
    else if (/^\s*(COMMIT|ROLLBACK)\b/i.test(s.query)) {
      if (open?.length) steps.push({ transaction: open });
      open = undefined;
    } else if (open) open.push({ query: s.query, params: s.params });
    else steps.push({ query: s.query, params: s.params });
  }
  return JSON.stringify(steps);
}
