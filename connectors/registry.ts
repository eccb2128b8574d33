/** Every site connector, by CLI name. Dataset importers are listed in datasets/index.ts. */
import type { Connector } from "./contract/connector";
import { domainComAu } from "./sites/domain-com-au";
import { homesCoNz } from "./sites/homes-co-nz";
import { realestateComAu } from "./sites/realestate-com-au";
import { rightmove } from "./sites/rightmove-co-uk";
import { schemaOrg } from "./sites/schema-org";

export const connectors: readonly Connector[] = [homesCoNz, realestateComAu, domainComAu, rightmove, schemaOrg];

export function findConnector(name: string): Connector | undefined {
  return connectors.find((c) => c.name === name);
}

/** The connector owning a source (domain) — how enrichment requests are routed. */
export function connectorForSource(source: string): Connector | undefined {
  return connectors.find((c) => c.domains.some((d) => source === d || source.endsWith(`.${d}`)));
}

/** Connectors that can search by address in a country (gap-fill for enrichment). */
export function addressSearchers(country: string): Connector[] {
  return connectors.filter((c) => c.country === country && typeof c.searchByAddress === "function");
}
