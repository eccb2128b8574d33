/**
 * The front Worker ("pillow-edge", wrangler.front.toml): runs in the data centre that received the
 * request and never reaches Postgres or Redis itself. Static assets are answered before it runs; it
 * answers anonymous reads from the edge cache (pkg/edge) and hands everything else, unchanged, to the
 * data Worker (workers/src/index.ts) over the `DATA` service binding. The data Worker is placed next to
 * Neon and Upstash, so a miss costs the reader one edge↔region trip and the data Worker's own trips
 * stay inside the region. docs/guides/deploying.md ("The two Workers") describes the split.
 */
import { type EdgeEnv, edgeFetch, newGeneration } from "./pkg/edge";
import { wrotePropertiesThrough } from "./pkg/edge/writes";
import { log } from "./pkg/log";

export type FrontEnv = EdgeEnv & {
  /** Service binding to the data Worker (`[[services]]` in wrangler.front.toml). */
  DATA: Fetcher;
};

export default {
  async fetch(request: Request, env: FrontEnv, ctx: ExecutionContext) {
    const res = await edgeFetch(request, env, ctx, (r) => env.DATA.fetch(r));
    if (wrotePropertiesThrough(request, res)) {
      // Before the answer, so the writer's next read from this data centre is not an older entry.
      await newGeneration().catch((err: Error) =>
        log(undefined, "warn", { msg: "could not end edge cache entries", error: err.message }),
      );
    }
    return res;
  },
} satisfies ExportedHandler<FrontEnv>;
