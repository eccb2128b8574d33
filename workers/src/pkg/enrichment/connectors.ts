/**
 * What the dispatcher needs from connectors, and nothing more: a listing's owner can re-scrape it
 * (`enrich`), and connectors that can search their site by address fill gaps for properties of their
 * country (`searchByAddress`). The connectors' own contract implements these; tests use small real
 * connectors against the fixture web server.
 */
import type { EnrichmentRequest } from "../../../../connectors/contract/enrichment";
import type { ListingFields } from "../ingest/enrichment";

export type { ListingFields };

export type EnrichOutcome =
  /**
   * `item`: the whole re-scraped listing as an ingest item; the dispatcher sends it through the ingest
   * pipeline (same validation, merge rules and history events as every other write). `fields`: what it
   * provides, for deciding what is still missing.
   */
  | { kind: "found"; fields: ListingFields; item: unknown }
  /** The URL is not this connector's, or it cannot read such pages: nothing to do, not an error. */
  | { kind: "not_mine" }
  /** The listing is no longer at its source (404/410, "listing removed"). */
  | { kind: "gone" };

export type AddressQuery = { address: string; city: string; country: string };

export interface EnrichmentConnector {
  /** Source name, as stored in `property_sources.source` and sent in `EnrichmentRequest.source`. */
  readonly source: string;
  /** ISO 3166-1 alpha-2 country the connector covers. */
  readonly country: string;
  /** Whether a listing URL belongs to this connector's site. */
  ownsUrl(url: string): boolean;
  /** Phase 1: re-scrape a known listing. Throws on transient failures (the message is retried). */
  enrich?(request: EnrichmentRequest): Promise<EnrichOutcome>;
  /** Phase 2: find the same property by address; null when the site has no match. */
  searchByAddress?(query: AddressQuery): Promise<ListingFields | null>;
}

export interface ConnectorRegistry {
  /** The connector owning a listing: by source name first, then by URL. */
  ownerOf(source: string, url: string): EnrichmentConnector | undefined;
  /** Connectors of a country that can search by address. */
  addressSearchers(country: string): EnrichmentConnector[];
}

export function connectorRegistry(connectors: EnrichmentConnector[]): ConnectorRegistry {
  return {
    ownerOf(source, url) {
      return connectors.find((c) => c.source === source) ?? (url ? connectors.find((c) => c.ownsUrl(url)) : undefined);
    },
    addressSearchers(country) {
      return connectors.filter((c) => c.searchByAddress && c.country.toUpperCase() === country.toUpperCase());
    },
  };
}
