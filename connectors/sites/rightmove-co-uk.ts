/**
 * rightmove.co.uk (GB). Search result pages carry `window.jsonModel` with every card's id, address,
 * coordinates, price (amount + frequency), beds/baths, type and photos, so discovery needs no detail
 * fetches. Listing pages carry `window.PAGE_MODEL.propertyData` (full address with postcode, sizes,
 * key features, tenure, letting details).
 *
 * Location = the site's search path without ".html": "property-to-rent/London-87490",
 * "property-for-sale/Archway-…". Rents are normalised to per calendar month (the site's own "pcm").
 */
import {
  type Connector,
  type ConnectorContext,
  canonicalUrl,
  enrichByRescrape,
  type SearchPage,
  siteUrl,
} from "../core/connector";
import { CrawlError, parseError } from "../core/errors";
import { assignedJson } from "../core/extract/scripts";
import { compact, type IngestItem } from "../core/item";
import { htmlToText, mapPropertyType, parsePrice, positiveArea, tidyCase, toNumber, UK_POSTCODE } from "../core/normalise";

const SOURCE = "rightmove.co.uk";
const PAGE_SIZE = 24;

type RmPrice = { amount?: number; frequency?: string; currencyCode?: string; displayPrices?: Array<{ displayPrice?: string }> };
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
  resultCount?: string;
  pagination?: { next?: string; total?: number; page?: string };
};

/** Per-month amount from an amount and Rightmove's frequency words. */
function monthly(amount: number | null, frequency: string | undefined): number | null {
  if (amount === null) return null;
  const f = (frequency ?? "").toLowerCase();
  if (f === "weekly") return Math.round((amount * 52) / 12);
  if (f === "yearly" || f === "annual") return Math.round(amount / 12);
  if (f === "daily") return Math.round((amount * 365) / 12);
  if (f === "quarterly") return Math.round(amount / 3);
  return amount;
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
  }
  const city = parts.length > 1 ? (parts.pop() as string) : null;
  return { street: parts[0] ?? null, locality: parts.slice(1).join(", ") || null, city: tidyCase(city), postal_code: postal };
}

export function rightmoveCardToItem(card: RmCard): IngestItem {
  const rent = (card.transactionType ?? "").toLowerCase() === "rent";
  const amount = toNumber(card.price?.amount);
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
    price: rent ? monthly(amount, card.price?.frequency) : amount,
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
  const amount = parsePrice(primary);
  const frequency = /pw|per week/i.test(primary) ? "weekly" : /pcm|per month/i.test(primary) ? "monthly" : undefined;
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
    price: rent ? monthly(amount, frequency) : amount,
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
    }),
  }) as IngestItem;
}

export const rightmove: Connector = {
  name: "rightmove-co-uk",
  domains: ["rightmove.co.uk"],
  country: "GB",
  description: "rightmove.co.uk search results (jsonModel) and listing pages (PAGE_MODEL)",
  defaultBaseUrl: "https://www.rightmove.co.uk",
  exampleLocation: "property-to-rent/London-87490",

  async searchPage(ctx: ConnectorContext, location: string, page: number): Promise<SearchPage> {
    const path = location.includes("/") ? location : `property-for-sale/${location}`;
    const url = siteUrl(ctx, `${path.replace(/\.html$/, "")}.html?index=${(page - 1) * PAGE_SIZE}`);
    const res = await ctx.fetcher.get(url);
    const model = assignedJson<RmSearchModel>(res.text, "window.jsonModel");
    if (!model || !Array.isArray(model.properties))
      throw parseError(res.url, "no window.jsonModel with properties on the search page");
    const listings: SearchPage["listings"] = [];
    const errors: CrawlError[] = [];
    for (const card of model.properties) {
      try {
        listings.push({ url: siteUrl(ctx, `properties/${card.id}`), item: rightmoveCardToItem(card) });
      } catch (err) {
        errors.push(new CrawlError("parse", `${res.url}#${card?.id}`, (err as Error).message));
      }
    }
    const total = Number(model.pagination?.total ?? 1);
    return { listings, hasMore: !!model.pagination?.next && page < total, errors };
  },

  async scrape(ctx, url) {
    const res = await ctx.fetcher.get(url);
    const model = assignedJson<{ propertyData?: RmPropertyData }>(res.text, "window.PAGE_MODEL");
    if (!model?.propertyData?.id) throw parseError(res.url, "no window.PAGE_MODEL.propertyData on the listing page");
    return rightmovePageModelToItem(model.propertyData);
  },

  enrich(ctx, request) {
    return enrichByRescrape(rightmove, ctx, request);
  },
};
