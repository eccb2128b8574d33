/** Shared helpers for tests that run inside workerd against the real local data plane. */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { app } from "../src/app";
import type { Env } from "../src/env";

export const testEnv = env as unknown as Env;

/**
 * The test bindings with a database time bound for bulk fixtures (generating and indexing hundreds of
 * thousands of rows), which on a busy machine take longer than a request's statement ever may.
 */
export const bulkSetupEnv: Env = { ...testEnv, DB_TIMEOUT_MS: String(5 * 60_000) };

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
 * Creates a user account directly in the database. With a `password` its hash is real and the user can
 * sign in; without one the account has an unusable hash (cheap, for tests that only need an owner).
 */
export async function createUser(
  role: "user" | "service" | "admin" = "user",
  password?: string,
): Promise<{ id: string; email: string; password?: string; role: string }> {
  const { hashPassword } = await import("../src/pkg/auth");
  const { getDb, schema } = await import("../src/pkg/db");
  const email = `${unique(role)}@users.pillow.test`;
  const passwordHash = password ? await hashPassword(password) : "!no-password";
  const [row] = await getDb(testEnv)
    .insert(schema.users)
    .values({ email, passwordHash, role })
    .returning({ id: schema.users.id });
  return { id: row!.id, email, password, role };
}

/**
 * Mints a real API token for a role by writing its hash to `api_tokens`, as `npm run token` does.
 * User and admin tokens belong to a fresh user account (as tokens made through the API do); service
 * tokens belong to no one (as connector tokens from `npm run token -- --service` do) and may ingest
 * under any source unless `sources` names some. Returns the Authorization header value.
 */
export async function bearerFor(
  role: "user" | "service" | "admin",
  options: { service?: string; userId?: string; sources?: string[] } = {},
): Promise<string> {
  const { mintApiToken } = await import("../src/pkg/auth");
  const userId = options.userId ?? (role === "service" ? null : (await createUser(role)).id);
  const sources = role === "service" ? (options.sources ?? ["*"]) : null;
  const { token } = await mintApiToken(testEnv, { name: `test ${role}`, role, userId, service: options.service, sources });
  return `Bearer ${token}`;
}

/** A signed access JWT, as `POST /api/v1/auth/login` issues, for a fresh (or the given) user. Returns the header value. */
export async function jwtBearerFor(role: "user" | "service" | "admin", userId?: string): Promise<string> {
  const { signAccessToken } = await import("../src/pkg/auth");
  const id = userId ?? (await createUser(role)).id;
  const { token } = await signAccessToken(testEnv, { userId: id, role });
  return `Bearer ${token}`;
}

export type ErrorEnvelope = {
  success: boolean;
  error: { code: string; message: string; details?: Array<{ path: string }> };
};

/** A GET of `path` answers 400 VALIDATION_FAILED naming `param` in the message and in the details. */
export async function expectValidationFailed(path: string, param: string): Promise<ErrorEnvelope> {
  const res = await call(path);
  const body = (await res.json()) as ErrorEnvelope;
  expect(res.status, `${path} → ${JSON.stringify(body)}`).toBe(400);
  expect(body.success).toBe(false);
  expect(body.error.code).toBe("VALIDATION_FAILED");
  expect(body.error.message).toContain(param);
  expect(body.error.details?.map((d) => d.path)).toContain(param);
  return body;
}
