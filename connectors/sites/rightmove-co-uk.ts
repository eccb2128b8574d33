/**
 * rightmove.co.uk (GB). Search result pages carry `window.jsonModel` with every card's id, address,
 * coordinates, price (amount + frequency), beds/baths, type and photos, so discovery needs no detail
 * fetches. Listing pages carry `window.PAGE_MODEL.propertyData` (full address with postcode, sizes,
 * key features, tenure, letting details).
 *
 * Location = the site's search path without ".html": "property-to-rent/London-87490",
 * "property-for-sale/Archway-…". Rents are normalised to per calendar month (the site's own "pcm").
 */
import type { Connector, ConnectorContext, SearchPage } from "../contract/connector";
import { canonicalUrl, enrichByRescrape, siteUrl } from "../contract/connector";
import { CrawlError, layoutChanged } from "../contract/errors";
import { compact, type IngestItem } from "../contract/item";
import { assignedJson, nextData } from "../core/extract/scripts";
import {
  htmlToText,
  mapPropertyType,
  positiveArea,
  priceFields,
  readPrice,
  tidyCase,
  toNumber,
  toRentPeriod,
  UK_POSTCODE,
} from "../core/normalise";

const SOURCE = "rightmove.co.uk";
const PAGE_SIZE = 24;

type RmPrice = {
  amount?: number;
  frequency?: string;
  currencyCode?: string;
  displayPrices?: Array<{ displayPrice?: string; displayPriceQualifier?: string }>;
};
type RmCard = {
  id: number | string;
  bedrooms?: number | null;
  bathrooms?: number | null;
  summary?: string;
  displayAddress?: string;
  countryCode?: string;
  location?: { latitude?: number; longitude?: number };
  propertySubType?: string;
  listingUpdate?: { listingUpdateReason?: string; listingUpdateDate?: string };
  firstVisibleDate?: string;
  price?: RmPrice;
  transactionType?: string;
  propertyUrl?: string;
  propertyImages?: { images?: Array<{ srcUrl?: string; url?: string }> };
  displaySize?: string;
  customer?: { brandTradingName?: string; branchDisplayName?: string };
};
type RmSearchModel = {
  properties?: RmCard[];
  resultCount?: string | number;
  pagination?: { next?: string | number | null; total?: number; page?: string | number; options?: unknown[] };
};

/** What a search page's parser looks for, in the layout-drift alarm's words. */
export const RIGHTMOVE_SEARCH_MARKER =
  "__NEXT_DATA__ props.pageProps.searchResults.properties (2025) or window.jsonModel.properties";

/**
 * A search page's model in either layout: the Next.js pages of 2025 (`__NEXT_DATA__`
 * `props.pageProps.searchResults`, the same card shape) or the older `window.jsonModel`.
 */
export function rightmoveSearchModel(html: string): RmSearchModel | null {
  const next = nextData<{ props?: { pageProps?: { searchResults?: RmSearchModel } } }>(html);
  const results = next?.props?.pageProps?.searchResults;
  if (results && Array.isArray(results.properties)) return results;
  const model = assignedJson<RmSearchModel>(html, "window.jsonModel");
  return model && Array.isArray(model.properties) ? model : null;
}

/** "Sycamore Street, London, EC1Y 0SR, UK" → street, city, postcode (postcode may be only an outcode). */
export function splitUkAddress(display: string | undefined, postcode?: string | null) {
  const parts = (display ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.at(-1)?.toUpperCase() === "UK" || parts.at(-1)?.toLowerCase() === "united kingdom") parts.pop();
  let postal = postcode ?? null;
  if (parts.length > 1 && UK_POSTCODE.test(parts.at(-1) as string)) {
    const last = parts.pop() as string;
    postal = postal ?? last.toUpperCase();
  } else if (parts.length > 0) {
    // Agents also write the address without commas ("St. Helens Gardens London W10"): a postcode at the
    // end of the last part, after at least two words, is still the postcode.
    const tail = /^(\S+\s+\S.*?)\s+(\S+(?:\s+\d[A-Z]{2})?)$/i.exec(parts.at(-1) as string);
    if (tail?.[1] && tail[2] && UK_POSTCODE.test(tail[2])) {
      parts[parts.length - 1] = tail[1];
      postal = postal ?? tail[2].toUpperCase();
    }
  }
  const city = parts.length > 1 ? (parts.pop() as string) : null;
  return { street: parts[0] ?? null, locality: parts.slice(1).join(", ") || null, city: tidyCase(city), postal_code: postal };
}

/** The card's price as a reader would see it: its qualifier, then the amount ("Guide Price £950,000"). */
function displayPriceText(price: RmPrice | undefined): string {
  const shown = price?.displayPrices?.[0];
  return [shown?.displayPriceQualifier, shown?.displayPrice].filter((part) => part?.trim()).join(" ");
}

export function rightmoveCardToItem(card: RmCard): IngestItem {
  const rent = (card.transactionType ?? "").toLowerCase() === "rent";
  // The card's amount is in its own frequency ("weekly", "monthly", "yearly", …); rents become per month.
  const {
    price,
    price_qualifier,
    attributes: priceAttributes,
  } = priceFields(toNumber(card.price?.amount), {
    rent,
    period: toRentPeriod(card.price?.frequency),
  });
  const addr = splitUkAddress(card.displayAddress);
  const lat = toNumber(card.location?.latitude);
  const lng = toNumber(card.location?.longitude);
  const url = canonicalUrl(rightmove, `/properties/${card.id}`);
  return compact({
    source: SOURCE,
    source_listing_id: String(card.id),
    source_url: url,
    property_type: mapPropertyType(card.propertySubType),
    property_subtype: card.propertySubType,
    listing_type: rent ? "rent" : "sale",
    status: "active",
    title: card.summary ? card.summary.slice(0, 200) : null,
    description: card.summary ?? null,
    price,
    // The card states its qualifier ("Guide Price", "Offers in Excess of") apart from the amount's text.
    price_qualifier: price_qualifier ?? readPrice(displayPriceText(card.price)).qualifier,
    currency: card.price?.currencyCode ?? "GBP",
    bedrooms: card.bedrooms ?? null,
    bathrooms: card.bathrooms ?? null,
    address: compact({ street: addr.street, city: addr.city, postal_code: addr.postal_code, country: card.countryCode ?? "GB" }),
    location: lat !== null && lng !== null ? { lat, lng } : null,
    listed_at: card.firstVisibleDate ?? card.listingUpdate?.listingUpdateDate ?? null,
    images: (card.propertyImages?.images ?? []).map((i) => i.srcUrl).filter((u): u is string => !!u),
    attributes: compact({
      price_frequency: card.price?.frequency,
      display_price: card.price?.displayPrices?.[0]?.displayPrice,
      locality: addr.locality,
      agent: card.customer?.branchDisplayName,
      listing_update: card.listingUpdate?.listingUpdateReason,
      ...priceAttributes,
    }),
  }) as IngestItem;
}

type RmPropertyData = {
  id: string;
  text?: { description?: string; propertyPhrase?: string };
  prices?: { primaryPrice?: string; secondaryPrice?: string };
  address?: { displayAddress?: string; countryCode?: string; outcode?: string; incode?: string };
  keyFeatures?: string[];
  images?: Array<{ url?: string }>;
  location?: { latitude?: number; longitude?: number };
  sizings?: Array<{ unit?: string; minimumSize?: number; maximumSize?: number }>;
  bedrooms?: number | null;
  bathrooms?: number | null;
  transactionType?: string;
  propertySubType?: string;
  tenure?: { tenureType?: string };
  lettings?: { letAvailableDate?: string; furnishType?: string; letType?: string; deposit?: number | null };
  listingHistory?: { listingUpdateReason?: string };
  status?: { published?: boolean; archived?: boolean };
  customer?: { branchDisplayName?: string };
};

/** A listing page's PAGE_MODEL → item. */
export function rightmovePageModelToItem(data: RmPropertyData): IngestItem {
  const rent = (data.transactionType ?? "").toUpperCase() === "RENT";
  const primary = data.prices?.primaryPrice ?? "";
  // "£3,370 pcm", "£260 pw", "Offers in excess of £450,000": the text says the period and the qualifier.
  const { price, price_qualifier, attributes: priceAttributes } = priceFields(primary, { rent });
  const postcode = data.address?.outcode && data.address?.incode ? `${data.address.outcode} ${data.address.incode}` : null;
  const addr = splitUkAddress(data.address?.displayAddress, postcode);
  const sqm = data.sizings?.find((s) => s.unit === "sqm");
  const lat = toNumber(data.location?.latitude);
  const lng = toNumber(data.location?.longitude);
  return compact({
    source: SOURCE,
    source_listing_id: String(data.id),
    source_url: canonicalUrl(rightmove, `/properties/${data.id}`),
    property_type: mapPropertyType(data.propertySubType),
    property_subtype: data.propertySubType,
    listing_type: rent ? "rent" : "sale",
    status: data.status?.archived ? "off_market" : "active",
    title: data.text?.propertyPhrase ?? null,
    description: htmlToText(data.text?.description),
    price,
    price_qualifier,
    currency: "GBP",
    bedrooms: data.bedrooms ?? null,
    bathrooms: data.bathrooms ?? null,
    area_living_sqm: positiveArea(toNumber(sqm?.maximumSize ?? sqm?.minimumSize)),
    address: compact({
      street: addr.street,
      city: addr.city,
      postal_code: addr.postal_code,
      country: data.address?.countryCode ?? "GB",
    }),
    location: lat !== null && lng !== null ? { lat, lng } : null,
    images: (data.images ?? []).map((i) => i.url).filter((u): u is string => !!u),
    features: data.keyFeatures ?? [],
    attributes: compact({
      display_price: primary || null,
      tenure: data.tenure?.tenureType,
      furnish_type: data.lettings?.furnishType,
      let_type: data.lettings?.letType,
      let_available_date: data.lettings?.letAvailableDate,
      agent: data.customer?.branchDisplayName,
      listing_update: data.listingHistory?.listingUpdateReason,
      ...priceAttributes,
    }),
  }) as IngestItem;
}

export const rightmove: Connector = {
  name: "rightmove-co-uk",
  domains: ["rightmove.co.uk"],
  country: "GB",
  description: "rightmove.co.uk search results (__NEXT_DATA__ of 2025, jsonModel before) and listing pages (PAGE_MODEL)",
  defaultBaseUrl: "https://www.rightmove.co.uk",
  exampleLocation: "property-to-rent/London-87490",
  healthFixture: "connectors/sites/fixtures/rightmove-co-uk/search-2025-w10-sale.html",

  async searchPage(ctx: ConnectorContext, location: string, page: number): Promise<SearchPage> {
    const path = location.includes("/") ? location : `property-for-sale/${location}`;
    const url = siteUrl(ctx, `${path.replace(/\.html$/, "")}.html?index=${(page - 1) * PAGE_SIZE}`);
    const res = await ctx.fetcher.get(url);
    const model = rightmoveSearchModel(res.text);
    if (!model?.properties) throw layoutChanged(res.url, RIGHTMOVE_SEARCH_MARKER);
    const listings: SearchPage["listings"] = [];
    const errors: CrawlError[] = [];
    for (const card of model.properties) {
      try {
        listings.push({ url: siteUrl(ctx, `properties/${card.id}`), item: rightmoveCardToItem(card) });
      } catch (err) {
        errors.push(new CrawlError("parse", `${res.url}#${card?.id}`, (err as Error).message));
      }
    }
    const total = Number(model.pagination?.total ?? model.pagination?.options?.length ?? 1);
    return { listings, hasMore: model.pagination?.next != null && page < total, errors };
  },

  async scrape(ctx, url) {
    const res = await ctx.fetcher.get(url);
    const model = assignedJson<{ propertyData?: RmPropertyData }>(res.text, "window.PAGE_MODEL");
    if (!model?.propertyData?.id) throw layoutChanged(res.url, "window.PAGE_MODEL.propertyData");
    return rightmovePageModelToItem(model.propertyData);
  },

  enrich(ctx, request) {
    return enrichByRescrape(rightmove, ctx, request);
  },
};
