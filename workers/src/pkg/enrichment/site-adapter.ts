/**
 * Adapts a site connector (the one connector contract, contract/connector.ts: `enrich(ctx, request)`
 * answering an ingest item, `searchByAddress(ctx, address)` answering items) to the dispatcher's
 * routing view (connectors.ts): bound to its fetch context, with the fields an item provides.
 */
import type { Connector, ConnectorContext } from "../../../../connectors/contract/connector";
import type { IngestItem } from "../../../../connectors/contract/item";
import { toMinorUnits } from "../../../../connectors/contract/money/minor-units";
import type { EnrichmentConnector, ListingFields } from "./connectors";

/** The parts of a connector enrichment uses. */
export type EnrichingConnector = Pick<Connector, "name" | "domains" | "country" | "enrich" | "searchByAddress">;

/** The fields of an ingest item the dispatcher uses. */
type ItemFields = Pick<
  Partial<IngestItem>,
  "price" | "currency" | "bedrooms" | "bathrooms" | "area_living_sqm" | "area_land_sqm" | "year_built" | "location" | "images"
>;

export function itemFields(item: ItemFields): ListingFields {
  const f: ListingFields = {};
  if (item.price != null) {
    // Minor units of the item's own currency (0 digits for JPY); unknown currency → cents, as ingest does for USD.
    f.price_minor = toMinorUnits(item.price, item.currency ?? "USD");
    if (item.currency) f.currency = item.currency;
  }
  if (item.bedrooms != null) f.bedrooms = item.bedrooms;
  if (item.bathrooms != null) f.bathrooms = item.bathrooms;
  if (item.area_living_sqm != null) f.area_living_sqm = item.area_living_sqm;
  if (item.area_land_sqm != null) f.area_land_sqm = item.area_land_sqm;
  if (item.year_built != null) f.year_built = item.year_built;
  if (item.location) f.location = item.location;
  if (item.images && item.images.length > 0) f.images = item.images;
  return f;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** `baseUrl`: where the connector actually reads (a mirror or the tests' fixture site), if not its domains. */
export function adaptSiteConnector(c: EnrichingConnector, ctx: ConnectorContext, baseUrl?: string): EnrichmentConnector {
  return {
    source: c.name,
    country: c.country,
    ownsUrl(url) {
      if (baseUrl && url.startsWith(baseUrl)) return true;
      const host = hostOf(url);
      return !!host && c.domains.some((d) => host === d || host.endsWith(`.${d}`));
    },
    enrich: c.enrich
      ? async (req) => {
          const result = await c.enrich?.(ctx, req);
          if (!result || result.kind === "not_mine") return { kind: "not_mine" };
          if (result.kind === "gone") return { kind: "gone" };
          // The whole listing goes through ingest, which refuses (as an error to retry and dead-letter) an
          // item that does not name its listing.
          return { kind: "found", fields: itemFields(result.item), item: result.item };
        }
      : undefined,
    searchByAddress: c.searchByAddress
      ? async (q) => {
          const address =
            q.city && !q.address.toLowerCase().includes(q.city.toLowerCase()) ? `${q.address}, ${q.city}` : q.address;
          const [first] = (await c.searchByAddress?.(ctx, address)) ?? [];
          return first ? itemFields(first) : null;
        }
      : undefined,
  };
}
