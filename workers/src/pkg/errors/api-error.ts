import { type ErrorCode, errorStatus } from "./codes";

/** Thrown anywhere in a request; `handleError` turns it into the error envelope. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = errorStatus[code];
    this.details = options.details;
    this.headers = options.headers;
  }
}

/** Seconds a client is told to wait after a 503 (Retry-After): long enough for a restart or failover. */
export const SERVICE_RETRY_AFTER_SECONDS = 5;

/** A backing service (database, cache) is missing or unreachable; always with Retry-After. */
export class ServiceUnavailableError extends ApiError {
  constructor(message: string, details?: unknown) {
    super("SERVICE_UNAVAILABLE", message, { details, headers: { "Retry-After": String(SERVICE_RETRY_AFTER_SECONDS) } });
  }
}
