/**
 * The one mapping from a failed Postgres or Redis call to what the caller is told
 * (docs/architecture.md, "Outages"), used by the error handler for every route:
 *
 * - SQLSTATE class 22 (data exception: invalid text representation, numeric or datetime out of
 *   range, untranslatable character) means a value passed validation that the column cannot hold.
 *   That is a gap in validation: 400 with a generic message, logged so the gap gets closed.
 * - The service is unreachable, refuses, times out (`BackendUnavailable` from the bounded fetch, the
 *   WebSocket pool's timeouts) or says it cannot serve (classes 08, 53, 57, 3D, 28 as in "connection
 *   exception", "insufficient resources", "operator intervention"): 503 SERVICE_UNAVAILABLE with
 *   Retry-After.
 * - Anything else is not a backend failure (`undefined`): the handler answers it as before.
 */
import { ApiError, ServiceUnavailableError } from "../errors/api-error";
import { type Backend, BackendUnavailable } from "./bounds";

export type BackendFailure =
  | { kind: "data"; sqlstate: string; error: ApiError }
  | { kind: "unavailable"; backend: Backend | "backend"; reason: string; error: ApiError };

const UNAVAILABLE_SQLSTATE = /^(08|28|3D|53|57)/;
/** Messages of the drivers' own network errors (Neon's WebSocket pool is node-postgres). */
const UNAVAILABLE_MESSAGE =
  /timeout|timed out|ECONNREFUSED|ECONNRESET|network|fetch failed|connection (terminated|lost|refused|closed)|socket|Connection ended|Error connecting to database/i;
const UPSTASH_ERRORS = new Set(["UpstashError", "UpstashJSONParseError"]);

/** The error and its causes (`cause`, Neon's `sourceError`), outermost first. */
export function failureChain(err: unknown): unknown[] {
  const seen: unknown[] = [];
  let e: unknown = err;
  while (e && typeof e === "object" && !seen.includes(e) && seen.length < 8) {
    seen.push(e);
    e = (e as { sourceError?: unknown }).sourceError ?? (e as { cause?: unknown }).cause;
  }
  return seen;
}

export function unavailableError(backend: Backend | "backend"): ServiceUnavailableError {
  const what = backend === "backend" ? "A backing service" : backend === "database" ? "The database" : "Redis";
  return new ServiceUnavailableError(`${what} is unavailable; try again shortly.`);
}

export function classifyBackendFailure(err: unknown): BackendFailure | undefined {
  const errors = failureChain(err);
  for (const e of errors) {
    if (e instanceof BackendUnavailable)
      return { kind: "unavailable", backend: e.backend, reason: e.message, error: unavailableError(e.backend) };
  }
  for (const e of errors) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
      if (code.startsWith("22")) {
        return {
          kind: "data",
          sqlstate: code,
          error: new ApiError("VALIDATION_FAILED", "A parameter holds a value the database cannot store or compare."),
        };
      }
      if (UNAVAILABLE_SQLSTATE.test(code)) {
        return { kind: "unavailable", backend: "database", reason: `SQLSTATE ${code}`, error: unavailableError("database") };
      }
      return undefined;
    }
  }
  for (const e of errors) {
    const name = (e as { name?: unknown }).name;
    const message = String((e as { message?: unknown }).message ?? "");
    if (typeof name === "string" && UPSTASH_ERRORS.has(name)) {
      return { kind: "unavailable", backend: "redis", reason: message, error: unavailableError("redis") };
    }
    if (name === "TimeoutError" || name === "AbortError" || UNAVAILABLE_MESSAGE.test(message)) {
      return { kind: "unavailable", backend: "backend", reason: message, error: unavailableError("backend") };
    }
  }
  return undefined;
}
