/**
 * The connectors the production dispatcher routes to: every site connector of the connectors package
 * that can re-scrape a listing (`enrich`) or search its site by address (`searchByAddress`), adapted to
 * the dispatcher's contract (site-adapter.ts). They fetch through the same polite fetcher as the crawl
 * consumer (robots.txt, pacing, backoff, SSRF limits from the CRAWL_* bindings) and read the real sites
 * (`defaultBaseUrl`). Built per batch: the fetcher needs the bindings (Redis for shared pacing state).
 */
import { connectors as siteConnectors } from "../../../../connectors/registry";
import type { Env } from "../../env";
import { crawlFetcher } from "../crawl/fetcher";
import { type ConnectorRegistry, connectorRegistry } from "./connectors";
import { adaptSiteConnector } from "./site-adapter";

export type SiteRegistryOptions = {
  /**
   * Where a connector reads instead of its real site, by connector name (mirrors; the tests' fixture
   * site). Listings keep their canonical URLs; only the fetches go there.
   */
  baseUrls?: Record<string, string>;
};

export function siteConnectorRegistry(env: Env, options: SiteRegistryOptions = {}): ConnectorRegistry {
  const fetcher = crawlFetcher(env);
  return connectorRegistry(
    siteConnectors
      .filter((c) => typeof c.enrich === "function" || typeof c.searchByAddress === "function")
      .map((c) => {
        const baseUrl = options.baseUrls?.[c.name] ?? c.defaultBaseUrl;
        return adaptSiteConnector(c, { fetcher, baseUrl }, baseUrl || undefined);
      }),
  );
}

export const productionRegistry = (env: Env): ConnectorRegistry => siteConnectorRegistry(env);
