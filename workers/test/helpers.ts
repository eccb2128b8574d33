/** Shared helpers for tests that run inside workerd against the real local data plane. */
import { env, exports } from "cloudflare:workers";
import { app } from "../src/app";
import type { Env } from "../src/env";

export const testEnv = env as unknown as Env;

/** A request through the whole Worker (assets, API, middleware), exactly as production serves it. */
export function call(path: string, init?: RequestInit): Promise<Response> {
  return (exports as unknown as { default: { fetch: (r: Request) => Promise<Response> } }).default.fetch(
    new Request(new URL(path, "http://pillow.test"), init),
  );
}

/** A request to the API app with some bindings replaced, for misconfiguration and outage tests. */
export function callWithEnv(path: string, overrides: Partial<Env>, init?: RequestInit): Promise<Response> {
  return Promise.resolve(app.request(path, init, { ...testEnv, ...overrides }));
}

/** A value unique to one test, for data that must not collide with other test files sharing the database. */
export function unique(prefix = "t"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
