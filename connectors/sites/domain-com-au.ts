/**
 * domain.com.au (AU).
 * - Search pages are Next.js: `__NEXT_DATA__.props.pageProps.componentProps.listingsMap[id].listingModel`
 *   holds address with coordinates, display price, beds/baths/parking, type, land size, a tag such as
 *   "Sold by private treaty 13 Jan 2026", and photos.
 * - Listing pages ("/<address-slug>-<id>") are Next.js too: `domain-com-au-listing.ts`.
 * - Property profile pages ("/property-profile/<slug>") carry a schema.org Residence (address) and an
 *   inline `propertyObject: {…}` JSON with coordinates, features, photos and the sale and rental history,
 *   which becomes the item's history events.
 *
 * Location = the search path: "sold-listings/burleigh-heads-qld-4220", "sale/burleigh-heads-qld-4220".
 */
import type { Connector, ConnectorContext, SearchPage } from "../contract/connector";
import { canonicalUrl, enrichByRescrape, fetchUrlFor, siteUrl } from "../contract/connector";
import { CrawlError, layoutChanged } from "../contract/errors";
import { compact, type IngestItem, type ListingStatus } from "../contract/item";
import { isType, jsonLdNodes, RESIDENCE_TYPES } from "../core/extract/jsonld";
import { assignedJson, nextData } from "../core/extract/scripts";
import {
  mapPropertyType,
  parseDayMonthYear,
  parseIsoLikeDate,
  positiveArea,
  priceFields,
  splitUnit,
  tidyCase,
  toNumber,
} from "../core/normalise";
import { domainListingPropsToItem, isListingProps } from "./domain-com-au-listing";

const SOURCE = "domain.com.au";

type ListingModel = {
  url?: string;
  images?: string[];
  price?: string;
  address?: { street?: string; suburb?: string; state?: string; postcode?: string; lat?: number; lng?: number };
  features?: {
    beds?: number;
    baths?: number;
    parking?: number;
    propertyType?: string;
    propertyTypeFormatted?: string;
    landSize?: number;
    landUnit?: string;
  };
  tags?: { tagText?: string; tagClassName?: string };
  branding?: { brandName?: string };
};
type SearchProps = {
  /** The page's own channel ("buy", "rent", "sold"), as the search it shows. */
  mode?: string;
  listingsMap?: Record<string, { id: number; listingType?: string; listingModel?: ListingModel }>;
  listingSearchResultIds?: number[];
  currentPage?: number;
  totalPages?: number;
};

/** Domain's search `mode` as the channel a location path names ("sold-listings", "rent", "sale"). */
function channelOf(mode: string | undefined): string | null {
  const m = (mode ?? "").toLowerCase();
  if (m === "sold") return "sold-listings";
  if (m === "rent") return "rent";
  if (m === "buy") return "sale";
  return null;
}

function statusFromTag(tag: ListingModel["tags"], channel: string): { status: ListingStatus; listing_type: "sale" | "rent" } {
  const text = `${tag?.tagText ?? ""} ${tag?.tagClassName ?? ""}`.toLowerCase();
  if (/sold/.test(text) || channel.startsWith("sold")) return { status: "sold", listing_type: "sale" };
  if (/leased/.test(text)) return { status: "leased", listing_type: "rent" };
  if (/under offer|under contract/.test(text)) return { status: "pending", listing_type: channel === "rent" ? "rent" : "sale" };
  return { status: "active", listing_type: channel === "rent" ? "rent" : "sale" };
}

export function domainListingToItem(id: string, m: ListingModel, channel: string): IngestItem {
  const kind = statusFromTag(m.tags, channel);
  // Domain quotes rents per week ("$660 per week", or just "$660" on the rent channel).
  const {
    price,
    price_qualifier,
    attributes: priceAttributes,
  } = priceFields(m.price, {
    rent: kind.listing_type === "rent",
    defaultPeriod: "week",
  });
  const { unit, street } = splitUnit(m.address?.street);
  const lat = toNumber(m.address?.lat);
  const lng = toNumber(m.address?.lng);
  const landFactor = /ha/i.test(m.features?.landUnit ?? "") ? 10_000 : 1;
  return compact({
    source: SOURCE,
    source_listing_id: id,
    source_url: canonicalUrl(domainComAu, m.url ?? `/${id}`),
    property_type: mapPropertyType(m.features?.propertyType),
    property_subtype: m.features?.propertyTypeFormatted,
    ...kind,
    title: m.address?.street && m.address?.suburb ? `${m.address.street}, ${tidyCase(m.address.suburb)}` : null,
    price,
    price_qualifier,
    sold_price: kind.status === "sold" ? price : null,
    sold_at: kind.status === "sold" ? parseDayMonthYear(m.tags?.tagText) : null,
    currency: "AUD",
    bedrooms: m.features?.beds ?? null,
    bathrooms: m.features?.baths ?? null,
    parking_spaces: m.features?.parking ?? null,
    area_land_sqm: positiveArea(toNumber(m.features?.landSize), landFactor),
    address: compact({
      street,
      unit,
      city: tidyCase(m.address?.suburb),
      state: m.address?.state,
      postal_code: m.address?.postcode,
      country: "AU",
    }),
    location: lat !== null && lng !== null ? { lat, lng } : null,
    images: (m.images ?? []).filter((u) => /^https?:/.test(u)),
    attributes: compact({ display_price: m.price, tag: m.tags?.tagText, agency: m.branding?.brandName, ...priceAttributes }),
  }) as IngestItem;
}

type ProfileEvent = {
  category?: string;
  eventDate?: string;
  eventPrice?: number;
  priceDescription?: string;
  daysOnMarket?: number;
  agency?: { name?: string };
};
type ProfileObject = {
  id?: string;
  address?: string;
  addressCoordinate?: { lat?: number; lon?: number };
  areaSize?: number;
  bathrooms?: number;
  bedrooms?: number;
  carSpaces?: number;
  features?: string[];
  flatNumber?: string;
  postcode?: string;
  propertyType?: string;
  state?: string;
  streetAddress?: string;
  suburb?: string;
  urlSlug?: string;
  timeline?: ProfileEvent[];
  photos?: Array<{ imageUrl?: string; fullUrl?: string; url?: string }>;
  lastSaleActivity?: { date?: string; price?: number } | null;
};

/** Sale and rental history as dated events, oldest first. Rents are per week on this site. */
export function profileHistory(timeline: ProfileEvent[] | undefined) {
  return (timeline ?? [])
    .map((e) =>
      compact({
        type: e.category === "Rental" ? "rented" : e.category === "Sale" ? "sold" : (e.category ?? "event").toLowerCase(),
        date: parseIsoLikeDate(e.eventDate),
        price: toNumber(e.eventPrice),
        price_basis: e.category === "Rental" ? "per_week" : "total",
        description: e.priceDescription,
        agency: e.agency?.name,
        days_on_market: e.daysOnMarket,
      }),
    )
    .filter((e) => e.date)
    .sort((a, b) => String(a.date).localeCompare(String(b.date)));
}

export function domainProfileToItem(html: string, url: string): IngestItem {
  const path = new URL(url).pathname.replace(/^.*(\/property-profile\/)/, "$1");
  const p = assignedJson<ProfileObject>(html, "propertyObject");
  const residence = jsonLdNodes(html).find((n) => isType(n, RESIDENCE_TYPES));
  if (!p?.id && !residence)
    throw layoutChanged(
      url,
      "__NEXT_DATA__ listing (componentProps.listingId), nor propertyObject JSON or a schema.org Residence (property profile)",
    );
  const ldAddress = (residence?.address ?? {}) as Record<string, string>;
  const street = p?.streetAddress ?? ldAddress.streetAddress ?? null;
  const split = splitUnit(street);
  const history = profileHistory(p?.timeline);
  const lastSale = [...history].reverse().find((e) => e.type === "sold");
  const lat = toNumber(p?.addressCoordinate?.lat);
  const lng = toNumber(p?.addressCoordinate?.lon);
  const photos = (p?.photos ?? [])
    .map((ph) => (ph.fullUrl ?? ph.imageUrl ?? ph.url)?.trim())
    .filter((u): u is string => !!u && /^https?:/.test(u));
  return compact({
    source: SOURCE,
    source_listing_id: `profile:${p?.id ?? p?.urlSlug ?? path}`,
    source_url: canonicalUrl(domainComAu, p?.urlSlug ? `/property-profile/${p.urlSlug}` : path),
    property_type: mapPropertyType(p?.propertyType),
    property_subtype: p?.propertyType,
    listing_type: "sale",
    status: "off_market",
    title: p?.address ?? null,
    price: null,
    sold_price: lastSale?.price ?? null,
    sold_at: lastSale?.date ?? null,
    currency: "AUD",
    bedrooms: p?.bedrooms ?? null,
    bathrooms: p?.bathrooms ?? null,
    parking_spaces: p?.carSpaces ?? null,
    area_land_sqm: positiveArea(toNumber(p?.areaSize)),
    address: compact({
      street: split.street,
      unit: p?.flatNumber || split.unit,
      city: tidyCase(p?.suburb ?? ldAddress.addressLocality),
      state: p?.state ?? ldAddress.addressRegion,
      postal_code: p?.postcode ?? ldAddress.postalCode,
      country: "AU",
    }),
    location: lat !== null && lng !== null ? { lat, lng } : null,
    images: photos,
    features: p?.features ?? [],
    attributes: compact({ domain_property_id: p?.id, history }),
  }) as IngestItem;
}

export const domainComAu: Connector = {
  name: "domain-com-au",
  domains: ["domain.com.au"],
  country: "AU",
  description:
    "domain.com.au search results and listing pages (__NEXT_DATA__) and property profiles (JSON-LD + inline JSON with history)",
  defaultBaseUrl: "https://www.domain.com.au",
  exampleLocation: "sold-listings/burleigh-heads-qld-4220",
  healthFixture: "../shared/fixtures/au/domain_com_au__sold_search_burleigh_heads__2026.next_data.json",

  async searchPage(ctx: ConnectorContext, location: string, page: number): Promise<SearchPage> {
    const res = await ctx.fetcher.get(siteUrl(ctx, `${location.replace(/\/$/, "")}/?page=${page}`));
    const data = nextData<{ props?: { pageProps?: { componentProps?: SearchProps } } }>(res.text);
    const props = data?.props?.pageProps?.componentProps;
    // A listing page carries a listingsMap too (the listing itself, or others nearby): it is read as the
    // listing it is (`scrape`), never as a one-card search whose channel would be guessed.
    if (isListingProps(props)) throw layoutChanged(res.url, "a search page's listingsMap (this is a listing page)");
    if (!props?.listingsMap) throw layoutChanged(res.url, "__NEXT_DATA__ props.pageProps.componentProps.listingsMap");
    // The channel is the page's own (`mode`) when it says; the requested path only otherwise, so a saved
    // sale or rent search is not taken for a sold one.
    const channel = channelOf(props.mode) ?? location.split("/")[0] ?? "sale";
    const ids = props.listingSearchResultIds ?? Object.keys(props.listingsMap).map(Number);
    const listings: SearchPage["listings"] = [];
    const errors: CrawlError[] = [];
    for (const id of ids) {
      const entry = props.listingsMap[String(id)];
      if (!entry?.listingModel) continue; // project groups and ads carry no listing model
      try {
        const item = domainListingToItem(String(id), entry.listingModel, channel);
        listings.push({ url: fetchUrlFor(domainComAu, ctx, item.source_url), item });
      } catch (err) {
        errors.push(new CrawlError("parse", `${res.url}#${id}`, (err as Error).message));
      }
    }
    return { listings, hasMore: (props.currentPage ?? page) < (props.totalPages ?? 1), errors };
  },

  /** A listing page (Next.js state) or a property profile page. */
  async scrape(ctx, url) {
    const res = await ctx.fetcher.get(url);
    const props = nextData<{ props?: { pageProps?: { componentProps?: unknown } } }>(res.text)?.props?.pageProps?.componentProps;
    if (isListingProps(props)) return domainListingPropsToItem(props, res.url);
    return domainProfileToItem(res.text, res.url);
  },

  enrich(ctx, request) {
    return enrichByRescrape(domainComAu, ctx, request);
  },

  /** Gap-fill: the property profile page of an address ("7 Bilpin Street, Greystanes NSW 2145"). */
  async searchByAddress(ctx, address) {
    const slug = address
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
    try {
      return [await this.scrape(ctx, siteUrl(ctx, `property-profile/${slug}`))];
    } catch (err) {
      if ((err as CrawlError).status === 404) return [];
      throw err;
    }
  },
};
