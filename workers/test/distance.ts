/**
 * Requests through both Workers, as production serves them: the front Worker (workers/src/front.ts, edge
 * cache included) whose `DATA` binding reaches the data Worker (workers/src/index.ts). The data Worker
 * gets endpoints of the test's own, tagged at the local stand-ins (scripts/local/distance.ts,
 * neon-http.ts), so the test counts exactly the Postgres and Redis trips its own requests make while
 * other test files share the stand-ins; the calls that cross from the front to the data Worker are
 * counted too. (front.test.ts checks the real service binding; here the data Worker's handler is called
 * as the binding calls it, so that it can have the tagged endpoints.)
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import type { Env } from "../src/env";
import front, { type FrontEnv } from "../src/front";
import dataWorker from "../src/index";
import { testEnv, unique } from "./helpers";

export type Trips = { postgres: number; redis: number };

export type TaggedWorker = {
  /** One request through the front Worker; resolves after its background work (cache writes) has finished too. */
  call: (path: string, init?: RequestInit) => Promise<Response>;
  /** Trips made so far through the tagged endpoints. */
  trips: () => Promise<Trips>;
  /** Requests the front Worker has sent to the data Worker so far (edge↔region trips in production). */
  dataCalls: () => number;
};

export function taggedWorker(overrides: Partial<Env> = {}): TaggedWorker {
  const tag = unique("trips");
  const neonOrigin = new URL(testEnv.NEON_HTTP_ENDPOINT as string).origin;
  const databaseUrl = new URL(testEnv.DATABASE_URL as string);
  databaseUrl.searchParams.set("trip_tag", tag);
  const env: Env = {
    ...testEnv,
    // Postgres trips are tagged by the connection string (the driver's endpoint is one per isolate, which
    // test files may share); interactive transactions (WebSocket) are not counted per test.
    DATABASE_URL: databaseUrl.toString(),
    UPSTASH_REDIS_REST_URL: `${testEnv.UPSTASH_REDIS_REST_URL}/tag/${tag}`,
    ...overrides,
  };
  let dataCalls = 0;
  const contexts: ExecutionContext[] = [];
  const data = {
    async fetch(input: RequestInfo | URL, init?: RequestInit) {
      dataCalls++;
      const ctx = createExecutionContext();
      contexts.push(ctx);
      return dataWorker.fetch(new Request(input, init), env, ctx);
    },
  } as unknown as Fetcher;
  const frontEnv: FrontEnv = { ...env, DATA: data };
  return {
    async call(path, init) {
      const ctx = createExecutionContext();
      const res = await front.fetch(new Request(new URL(path, "http://pillow.test"), init), frontEnv, ctx);
      const body = await res.arrayBuffer();
      await waitOnExecutionContext(ctx);
      for (const c of contexts.splice(0)) await waitOnExecutionContext(c);
      return new Response(res.status === 304 ? null : body, res);
    },
    async trips() {
      return (await (await fetch(`${neonOrigin}/__trips?tag=${tag}`)).json()) as Trips;
    },
    dataCalls: () => dataCalls,
  };
}
