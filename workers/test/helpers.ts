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

/**
 * Mints a real API token for a role by writing its hash to `api_tokens`, as `npm run token` does.
 * Returns the Authorization header value.
 */
export async function bearerFor(role: "user" | "service" | "admin", options: { service?: string } = {}): Promise<string> {
  const { generateApiToken, sha256Hex, displayPrefix } = await import("../src/pkg/auth");
  const { getDb, schema } = await import("../src/pkg/db");
  const token = generateApiToken();
  await getDb(testEnv)
    .insert(schema.apiTokens)
    .values({
      name: `test ${role}`,
      tokenHash: await sha256Hex(token),
      prefix: displayPrefix(token),
      role,
      service: options.service,
    });
  return `Bearer ${token}`;
}
