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
  | "layout_changed"
  | "not_found"
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

/**
 * A page of a kind the connector knows (its search or listing URL answered 200) that no longer holds
 * the marker its parser reads: the site changed its layout. `marker` names what was looked for, so the
 * operator knows which parser to update. Never transient: retrying will not bring the old layout back.
 */
export function layoutChanged(url: string, marker: string): CrawlError {
  return new CrawlError("layout_changed", url, `layout_changed: no ${marker} on the page`);
}

/**
 * The site answered with its own "page not found" page (an address or place it does not know; some
 * sites serve it with status 200): nothing to read there, and nothing changed in the layout. Carries 404,
 * so re-scraping a listing that now gets this page counts it as gone (`enrichByRescrape`).
 */
export function notFoundPage(url: string, what: string): CrawlError {
  return new CrawlError("not_found", url, `not_found: ${what}`, 404);
}

export function asCrawlError(err: unknown, url: string): CrawlError {
  if (err instanceof CrawlError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // EmbeddedJsonError (extract/scripts.ts): the page came, its state did not parse.
  const parse = err instanceof SyntaxError || (err instanceof Error && err.name === "EmbeddedJsonError");
  return new CrawlError(parse ? "parse" : "network", url, message);
}
