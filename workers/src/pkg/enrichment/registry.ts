/**
 * The connectors the production dispatcher routes to. Until the connectors package provides its
 * registry this is empty: the dispatcher then still geocodes, and acks re-scrape requests as
 * "not mine" (nothing owns them).
 */
import { connectorRegistry, type EnrichmentConnector } from "./connectors";

export const productionConnectors: EnrichmentConnector[] = [];

export const productionRegistry = connectorRegistry(productionConnectors);
