/** Why a URL could not be turned into a listing. Counted per kind in run stats; never crashes a run. */
export type CrawlErrorKind =
  | "robots_disallowed"
  | "unsafe_url"
  | "timeout"
  | "network"
  | "http_4xx"
  | "http_5xx"
  | "rate_limited"
  | "too_large"
  | "blocked"
  | "parse"
  | "invalid"
  | "submit";

export class CrawlError extends Error {
  constructor(
    readonly kind: CrawlErrorKind,
    readonly url: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "CrawlError";
  }

  /** Worth retrying later (the queue retries the task): the site may recover. */
  get transient(): boolean {
    return ["timeout", "network", "http_5xx", "rate_limited"].includes(this.kind);
  }
}

/** A page that was fetched but did not hold what the parser expected. */
export function parseError(url: string, message: string): CrawlError {
  return new CrawlError("parse", url, message);
}

export function asCrawlError(err: unknown, url: string): CrawlError {
  if (err instanceof CrawlError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CrawlError(err instanceof SyntaxError ? "parse" : "network", url, message);
}
