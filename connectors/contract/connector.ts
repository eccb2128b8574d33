/**
 * The connector contract, the one definition: the connectors implement it, and the Worker's crawl
 * consumer and enrichment dispatcher call it. It lives in `contract/`, which imports neither
 * `connectors/` nor `workers/`, so both can depend on it without depending on each other the wrong
 * way round (the Worker runs connectors; connectors never import the Worker). A connector knows one website (or one kind of site): how to page through its
 * search results for a location, how to turn a listing page into an ingest item, and optionally how to
 * re-scrape a known listing for the enrichment loop or find one by address.
 *
 * Connectors never fetch on their own: they receive a `ConnectorContext` whose fetcher enforces
 * robots.txt, pacing, backoff, SSRF and size limits, and whose `baseUrl` points at the site (or at a
 * test fixture server).
 */
import type { EnrichmentRequest } from "./enrichment";
import type { CrawlError } from "./errors";
import type { IngestItem } from "./item";

/** One fetched page. */
export type FetchedPage = { url: string; status: number; contentType: string; text: string };

/**
 * What connectors fetch with: the polite fetcher on the web (connectors/core/fetcher.ts), or a saved
 * page in the CLI's `--from` mode (connectors/core/saved-pages.ts), which never touches the network.
 */
export interface PageFetcher {
  get(url: string, accept?: string): Promise<FetchedPage>;
  getJson<T = unknown>(url: string): Promise<T>;
  /** Requests made so far (run statistics). */
  readonly requests: number;
}

export type ConnectorContext = {
  fetcher: PageFetcher;
  /** Origin (and optional path prefix) the connector builds its URLs on; defaults to the real site. */
  baseUrl: string;
  /** Free-form per-site settings (the generic schema.org connector's site description lives here). */
  settings?: Record<string, unknown>;
};

/** One search page: listings found on it (with the item when the page already carries everything). */
export type SearchPage = {
  listings: Array<{ url: string; item?: IngestItem }>;
  /** Whether a next page exists. */
  hasMore: boolean;
  /** Listings on the page that could not be parsed (counted as errors, the rest still used). */
  errors?: CrawlError[];
  /**
   * Set when the page's own data says the search found nothing ("0 results"): why there is no listing,
   * so an empty page is reported as that and not as a layout the parser no longer reads.
   */
  noResults?: string;
};

export type DiscoverOptions = {
  location: string;
  /** Search result pages to read (1-based, from the first). */
  pages: number;
  /** Stop after this many listings. */
  max: number;
};

/**
 * What the enrichment loop asks a connector for is the enrichment queue's message as it arrives
 * (contract/enrichment.ts): the listing's source and URL, its country, address and missing fields.
 */
export type { EnrichmentRequest };

/** `not_mine`: another connector owns the URL; `gone`: the listing no longer exists at its source. */
export type EnrichResult = { kind: "item"; item: IngestItem } | { kind: "not_mine" } | { kind: "gone" };

export type HealthResult = { ok: boolean; message: string; ms: number };

export interface Connector {
  /** CLI selector and queue routing key, lower-case with hyphens ("rightmove-co-uk"). */
  readonly name: string;
  /** Domains this connector owns; enrichment requests are routed by them. */
  readonly domains: readonly string[];
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly description: string;
  /** The real site's origin; `ConnectorContext.baseUrl` overrides it (tests, mirrors). */
  readonly defaultBaseUrl: string;
  /** A location the health check and examples use. */
  readonly exampleLocation: string;

  /** One page of search results for a location (page is 1-based). */
  searchPage(ctx: ConnectorContext, location: string, page: number): Promise<SearchPage>;
  /** A listing page → item. Throws CrawlError (kind "parse" when the page holds no listing). */
  scrape(ctx: ConnectorContext, url: string): Promise<IngestItem>;
  enrich?(ctx: ConnectorContext, request: EnrichmentRequest): Promise<EnrichResult>;
  searchByAddress?(ctx: ConnectorContext, address: string): Promise<IngestItem[]>;
  /**
   * Every listing a fetched page holds, when a page can hold several that `scrape` (one listing per
   * URL) would not return: the generic schema.org connector's ItemLists and `@graph`s.
   */
  itemsOnPage?(ctx: ConnectorContext, html: string, url: string): IngestItem[];
  /**
   * The newest saved page of this site's search results, relative to the repository's root: a reduced
   * capture kept beside the connector, or one in the shared fixtures (`../shared/fixtures/`) that may
   * not be copied into the repository. What `--health` checks the parser against.
   */
  readonly healthFixture?: string;
}

/** Whether `url` belongs to one of the connector's domains (subdomains included). */
export function ownsUrl(connector: Connector, url: string, baseUrl?: string): boolean {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    return false;
  }
  if (baseUrl && url.startsWith(baseUrl)) return true;
  return connector.domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/**
 * Default `enrich`: re-scrape the source URL when it is ours; a 404/410 means the listing is gone.
 */
export async function enrichByRescrape(
  connector: Connector,
  ctx: ConnectorContext,
  request: EnrichmentRequest,
): Promise<EnrichResult> {
  if (!ownsUrl(connector, request.source_url, ctx.baseUrl)) return { kind: "not_mine" };
  try {
    return { kind: "item", item: await connector.scrape(ctx, fetchUrlFor(connector, ctx, request.source_url)) };
  } catch (err) {
    const e = err as CrawlError;
    if (e?.status === 404 || e?.status === 410) return { kind: "gone" };
    throw err;
  }
}

/**
 * Listings are identified by their URL on the real site (`source_url`), whichever mirror or test site
 * they were fetched from: the Mill only accepts public http(s) URLs, and enrichment re-scrapes them.
 */
export function canonicalUrl(connector: Pick<Connector, "defaultBaseUrl">, pathOrUrl: string): string {
  return new URL(pathOrUrl, connector.defaultBaseUrl).href;
}

/** Where to fetch a (canonical) listing URL in this run: on the context's base URL when it differs. */
export function fetchUrlFor(connector: Pick<Connector, "defaultBaseUrl">, ctx: ConnectorContext, url: string): string {
  const real = connector.defaultBaseUrl.replace(/\/$/, "");
  const base = ctx.baseUrl.replace(/\/$/, "");
  if (real && base && real !== base && url.startsWith(real)) return base + url.slice(real.length);
  return url;
}

/** Resolves a site path against the context's base URL (which may carry a path prefix). */
export function siteUrl(ctx: ConnectorContext, path: string): string {
  const base = ctx.baseUrl.endsWith("/") ? ctx.baseUrl : `${ctx.baseUrl}/`;
  return new URL(path.replace(/^\//, ""), base).href;
}
