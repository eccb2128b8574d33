import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import type { HonoEnv } from "../../env";
import { classifyBackendFailure, failureChain } from "../backend/failure";
import { log } from "../log";
import { ApiError } from "./api-error";
import type { ErrorCode, ErrorEnvelope } from "./codes";
import { errorStatus } from "./codes";

export function errorBody(c: Context<HonoEnv>, code: ErrorCode, message: string, details?: unknown): ErrorEnvelope {
  return {
    success: false,
    error: { code, message, request_id: c.get("requestId") ?? "unknown", ...(details === undefined ? {} : { details }) },
  };
}

export function errorResponse(c: Context<HonoEnv>, err: ApiError): Response {
  const res = c.json(errorBody(c, err.code, err.message, err.details), err.status as 400);
  for (const [k, v] of Object.entries(err.headers ?? {})) res.headers.set(k, v);
  return res;
}

/** Zod issues as `{path, message}` pairs, the shape of `details` for VALIDATION_FAILED. */
export function zodIssues(error: ZodError): Array<{ path: string; message: string }> {
  return error.issues.flatMap((i) =>
    // An unknown key (strict objects, e.g. an unknown query parameter) is named as the path itself.
    i.code === "unrecognized_keys"
      ? i.keys.map((key) => ({ path: [...i.path, key].join("."), message: "is not a known parameter" }))
      : [{ path: i.path.join("."), message: i.message }],
  );
}

/** `app.onError`: known errors keep their code; anything else is a 500 with no internals leaked. */
export function handleError(err: Error, c: Context<HonoEnv>): Response {
  // An ApiError, or one a library wrapped (drizzle keeps the database layer's mapped error as `cause`).
  const api = failureChain(err).find((e): e is ApiError => e instanceof ApiError);
  if (api) {
    if (api.status >= 500) log(c, "error", { msg: api.message, code: api.code });
    return errorResponse(c, api);
  }
  if (err instanceof HTTPException) {
    const code = (Object.entries(errorStatus).find(([, s]) => s === err.status)?.[0] ?? "BAD_REQUEST") as ErrorCode;
    return errorResponse(c, new ApiError(code, err.message || code));
  }
  const failure = classifyBackendFailure(err);
  if (failure?.kind === "data") {
    // The value got past the request schema but not past the column: the schema has a gap to close.
    log(c, "error", { msg: "validation gap: database rejected a value", sqlstate: failure.sqlstate, error: err.message });
    return errorResponse(c, failure.error);
  }
  if (failure?.kind === "unavailable") {
    log(c, "error", { msg: "backing service unavailable", backend: failure.backend, error: failure.reason });
    return errorResponse(c, failure.error);
  }
  log(c, "error", { msg: "unhandled error", error: err.message, stack: err.stack });
  return errorResponse(c, new ApiError("INTERNAL", "Something unexpected happened. Quote the request id if you report it."));
}
