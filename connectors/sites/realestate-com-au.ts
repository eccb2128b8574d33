/**
 * realestate.com.au (AU). Two page generations:
 * - current search pages embed `window.ArgonautExchange`, whose urql cache is JSON inside JSON inside
 *   JSON; `…Search.results.exact.items[].listing` has address, price, sold date, type, features, sizes
 *   and photos (no coordinates: the Mill geocodes);
 * - the older server-rendered search pages (`<article class="resultBody">`, rui-* classes) are read
 *   from the HTML.
 *
 * Location = the site's search path without the page part: "sold/in-nsw", "buy/in-burleigh+heads,+qld+4220";
 * page N is `/<location>/list-N`.
 *
 * `scrape(url)` reads the listing the URL names from the page's ArgonautExchange state when it holds
 * one (search pages do). The 2025–2026 listing (detail) pages hold an empty ArgonautExchange; they are
 * read from their schema.org JSON-LD and the summary's ARIA labels (`realestate-com-au-listing.ts`,
 * tested on captures of real pages in `fixtures/realestate-com-au/`).
 */
import type { Connector, ConnectorContext, SearchPage } from "../contract/connector";
import { canonicalUrl, enrichByRescrape, fetchUrlFor, siteUrl } from "../contract/connector";
import { CrawlError, layoutChanged } from "../contract/errors";
import { compact, type IngestItem, type ListingStatus } from "../contract/item";
import { parseDocument, textOf } from "../core/extract/html";
import { argonautUrqlData } from "../core/extract/scripts";
import {
  htmlToText,
  mapPropertyType,
  parseDayMonthYear,
  positiveArea,
  priceFields,
  splitUnit,
  toNumber,
} from "../core/normalise";
import { reaListingPageToItem } from "./realestate-com-au-listing";

const SOURCE = "realestate.com.au";
const IMAGE_SIZE = "800x600";

type Size = { displayValue?: string; sizeUnit?: { displayValue?: string } } | null;
type ReaListing = {
  __typename?: string;
  id: string;
  _links?: { canonical?: { href?: string; path?: string } };
  address?: { display?: { fullAddress?: string; shortAddress?: string }; suburb?: string; state?: string; postcode?: string };
  badge?: { label?: string };
  dateSold?: { display?: string } | null;
  description?: string;
  generalFeatures?: Record<string, { value?: number } | null>;
  price?: { display?: string } | null;
  propertySizes?: { building?: Size; land?: Size } | null;
  propertyType?: { id?: string; display?: string };
  media?: { images?: Array<{ templatedUrl?: string }> };
  listingCompany?: { name?: string };
};

function sqm(size: Size | undefined): number | null {
  if (!size?.displayValue) return null;
  const unit = size.sizeUnit?.displayValue ?? "m²";
  const value = toNumber(size.displayValue);
  if (/ha/i.test(unit)) return positiveArea(value, 10_000);
  if (/ac/i.test(unit)) return positiveArea(value, 4046.8564224);
  return positiveArea(value);
}

function listingKind(typename: string | undefined, channel: string): { listing_type: "sale" | "rent"; status: ListingStatus } {
  if (/Sold/i.test(typename ?? "") || channel === "sold") return { listing_type: "sale", status: "sold" };
  if (/Rent/i.test(typename ?? "") || channel === "rent") return { listing_type: "rent", status: "active" };
  return { listing_type: "sale", status: "active" };
}

export function reaListingToItem(l: ReaListing, channel: string): IngestItem {
  const { unit, street } = splitUnit(l.address?.display?.shortAddress);
  const kind = listingKind(l.__typename, channel);
  // realestate.com.au quotes rents per week.
  const {
    price,
    price_qualifier,
    attributes: priceAttributes,
  } = priceFields(l.price?.display, {
    rent: kind.listing_type === "rent",
    defaultPeriod: "week",
  });
  const soldAt = parseDayMonthYear(l.dateSold?.display);
  const feature = (k: string) => toNumber(l.generalFeatures?.[k]?.value);
  return compact({
    source: SOURCE,
    source_listing_id: String(l.id),
    source_url: l._links?.canonical?.href ?? canonicalUrl(realestateComAu, l._links?.canonical?.path ?? `/${l.id}`),
    property_type: mapPropertyType(l.propertyType?.id),
    property_subtype: l.propertyType?.display,
    ...kind,
    title: l.address?.display?.fullAddress ?? null,
    description: htmlToText(l.description),
    price,
    price_qualifier,
    sold_price: kind.status === "sold" ? price : null,
    sold_at: kind.status === "sold" ? soldAt : null,
    currency: "AUD",
    bedrooms: feature("bedrooms"),
    bathrooms: feature("bathrooms"),
    parking_spaces: feature("parkingSpaces"),
    area_living_sqm: sqm(l.propertySizes?.building),
    area_land_sqm: sqm(l.propertySizes?.land),
    address: compact({
      street,
      unit,
      city: l.address?.suburb,
      state: l.address?.state?.toUpperCase(),
      postal_code: l.address?.postcode,
      country: "AU",
    }),
    images: (l.media?.images ?? []).map((i) => i.templatedUrl?.replace("{size}", IMAGE_SIZE)).filter((u): u is string => !!u),
    attributes: compact({
      display_price: l.price?.display,
      agency: l.listingCompany?.name,
      property_type_label: l.propertyType?.display,
      ...priceAttributes,
    }),
  }) as IngestItem;
}

/** Search results of any channel from the decoded urql cache. */
function argonautListings(html: string): ReaListing[] | null {
  const datas = argonautUrqlData(html);
  for (const data of datas) {
    for (const value of Object.values(data)) {
      const items = (value as { results?: { exact?: { items?: Array<{ listing?: ReaListing }> } } })?.results?.exact?.items;
      if (Array.isArray(items)) return items.map((i) => i.listing).filter((l): l is ReaListing => !!l?.id);
    }
  }
  return null;
}

/** "82 Orana Avenue, Seven Hills, NSW 2147" → parts. */
export function splitAuAddress(full: string) {
  const m = /^(.*?),\s*([^,]+),\s*([A-Za-z]{2,3})\s+(\d{4})$/.exec(full.trim());
  if (!m) return { street: null, unit: null, city: full.split(",")[0]?.trim() ?? null, state: null, postal_code: null };
  const { unit, street } = splitUnit(m[1]);
  return { street, unit, city: m[2]?.trim() ?? null, state: m[3]?.toUpperCase() ?? null, postal_code: m[4] ?? null };
}

/** The 2017-era server-rendered search page. */
export function reaLegacyItems(html: string, pageUrl: string, channel: string): { items: IngestItem[]; errors: CrawlError[] } {
  const doc = parseDocument(html);
  const items: IngestItem[] = [];
  const errors: CrawlError[] = [];
  for (const article of doc.querySelectorAll("article.resultBody")) {
    const id = (article.getAttribute("id") ?? "").replace(/^t/, "");
    try {
      const link = article.querySelector("a[rel='listingName']");
      const full = link?.textContent?.trim();
      const href = link?.getAttribute("href");
      if (!id || !full || !href) throw new Error("listing card without id, address or link");
      const features: Record<string, number> = {};
      for (const dt of article.querySelectorAll("dl.rui-property-features dt")) {
        const label = dt.textContent?.trim().toLowerCase() ?? "";
        const value = Number(dt.nextElementSibling?.textContent?.trim());
        if (Number.isFinite(value)) features[label] = value;
      }
      const priceText = textOf(article, ".priceText");
      const typeFromUrl = /\/property-([a-z]+)-/.exec(href)?.[1];
      const addr = /address available on request/i.test(full)
        ? { street: null, unit: null, city: full.split(",")[0]?.trim() ?? null, state: null, postal_code: null }
        : splitAuAddress(full);
      const images = [...article.querySelectorAll(".photoviewer img")]
        .map(
          (img) =>
            img.getAttribute("data-src") ??
            img.getAttribute("src") ??
            img.getAttribute("data-lazyloadsrc") ??
            img.getAttribute("data-lazyLoadSrc"),
        )
        .filter((u): u is string => !!u && /^https?:/.test(u) && !/floorplan/.test(u));
      items.push(
        compact({
          source: SOURCE,
          source_listing_id: id,
          source_url: canonicalUrl(realestateComAu, href),
          property_type: mapPropertyType(typeFromUrl),
          property_subtype: typeFromUrl,
          ...listingKind(undefined, channel),
          title: full,
          ...priceFields(priceText, { rent: channel === "rent", defaultPeriod: "week" }),
          currency: "AUD",
          bedrooms: features.bedrooms ?? null,
          bathrooms: features.bathrooms ?? null,
          parking_spaces: features["car spaces"] ?? null,
          address: compact({ ...addr, country: "AU" }),
          images: [...new Set(images)],
          attributes: compact({
            display_price: priceText,
            sale_method: textOf(article, ".propertyStats .type"),
            ...priceFields(priceText, { rent: channel === "rent", defaultPeriod: "week" }).attributes,
          }),
        }) as IngestItem,
      );
    } catch (err) {
      errors.push(new CrawlError("parse", `${pageUrl}#${id}`, (err as Error).message));
    }
  }
  return { items, errors };
}

export const realestateComAu: Connector = {
  name: "realestate-com-au",
  domains: ["realestate.com.au"],
  country: "AU",
  description:
    "realestate.com.au search results (ArgonautExchange urql cache; older plain-HTML pages) and listing pages (JSON-LD + ARIA summary)",
  defaultBaseUrl: "https://www.realestate.com.au",
  exampleLocation: "sold/in-nsw",
  healthFixture: "../shared/fixtures/au/realestate_com_au__sold_search__2026.html",

  async searchPage(ctx: ConnectorContext, location: string, page: number): Promise<SearchPage> {
    const channel = location.split("/")[0] ?? "buy";
    const res = await ctx.fetcher.get(siteUrl(ctx, `${location.replace(/\/$/, "")}/list-${page}`));
    const modern = argonautListings(res.text);
    if (modern) {
      const listings: SearchPage["listings"] = [];
      const errors: CrawlError[] = [];
      for (const l of modern) {
        try {
          const item = reaListingToItem(l, channel);
          listings.push({ url: fetchUrlFor(realestateComAu, ctx, item.source_url), item });
        } catch (err) {
          errors.push(new CrawlError("parse", `${res.url}#${l.id}`, (err as Error).message));
        }
      }
      return { listings, hasMore: modern.length > 0, errors };
    }
    const legacy = reaLegacyItems(res.text, res.url, channel);
    if (legacy.items.length === 0 && legacy.errors.length === 0)
      throw layoutChanged(res.url, "window.ArgonautExchange urql search results or article.resultBody cards");
    return {
      listings: legacy.items.map((item) => ({ url: item.source_url, item })),
      hasMore: legacy.items.length > 0,
      errors: legacy.errors,
    };
  },

  async scrape(ctx, url) {
    const res = await ctx.fetcher.get(url);
    const found = argonautListings(res.text);
    const listing = found?.find((l) => url.includes(l.id)) ?? found?.[0];
    if (listing) return reaListingToItem(listing, /\/sold\//.test(url) ? "sold" : /\/rent\//.test(url) ? "rent" : "buy");
    const item = reaListingPageToItem(res.text, res.url);
    if (!item) throw layoutChanged(res.url, "window.ArgonautExchange listing or listing JSON-LD with a feature summary");
    return item;
  },

  enrich(ctx, request) {
    return enrichByRescrape(realestateComAu, ctx, request);
  },
};
