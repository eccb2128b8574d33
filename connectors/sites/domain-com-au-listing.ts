/**
 * domain.com.au listing pages ("/<address-slug>-<id>", where search cards link): Next.js pages whose
 * `__NEXT_DATA__.props.pageProps.componentProps` holds the listing — `listingId`, `listingSummary`
 * (display address, beds, baths, parking, property type, `mode` rent/buy/sold, the display price as
 * `title`, `stats` such as the bond and the date available), the street parts, `description`
 * paragraphs, `features`, `gallery.slides[].images.original.url` and the agency. When the page also
 * carries its GraphQL answer (`rootGraphQuery.listingByIdV2`, as public clients of the site read it),
 * its land area and coordinates are taken too.
 *
 * The field names are those of a real page of 2025-09 (the state as kept by scrapfly/scrapfly-scrapers'
 * Domain scraper, in ../shared/fixtures/scraper_output_json); `domain-com-au-listing.test.ts` reads it.
 */
import { canonicalUrl } from "../contract/connector";
import { compact, type IngestItem, type ListingStatus } from "../contract/item";
import * as normalise from "../core/normalise";

const SOURCE = "domain.com.au";
const BASE = "https://www.domain.com.au";

type Stat = { key?: string; value?: unknown; iso8601Value?: string };
type ListingSummary = {
  address?: string;
  beds?: number;
  baths?: number;
  parking?: number;
  propertyType?: string;
  listingType?: string;
  mode?: string;
  status?: string;
  title?: string;
  stats?: Stat[];
};
type GraphListing = {
  landAreaSqm?: number;
  priceDetails?: { displayPrice?: string };
  displayableAddress?: { geolocation?: { latitude?: number; longitude?: number }; state?: string };
};
export type DomainListingProps = {
  listingId?: number | string;
  listingUrl?: string;
  unitNumber?: string;
  streetNumber?: string;
  street?: string;
  suburb?: string;
  postcode?: string;
  createdOn?: string;
  propertyType?: string;
  agencyName?: string;
  description?: string | string[];
  features?: string[];
  structuredFeatures?: Array<{ name?: string } | string>;
  gallery?: { slides?: Array<{ images?: { original?: { url?: string } } }> };
  listingSummary?: ListingSummary;
  rootGraphQuery?: { listingByIdV2?: GraphListing | null } | null;
};

/** Whether a page's component props are a listing page's. */
export function isListingProps(props: unknown): props is DomainListingProps {
  const p = props as DomainListingProps | undefined;
  return !!p && p.listingId !== undefined && p.listingId !== null && (!!p.listingSummary || !!p.rootGraphQuery?.listingByIdV2);
}

function kindOf(summary: ListingSummary | undefined): { listing_type: "sale" | "rent"; status: ListingStatus } {
  const mode = (summary?.mode ?? "").toLowerCase();
  const words = `${mode} ${summary?.listingType ?? ""} ${summary?.status ?? ""}`.toLowerCase();
  if (/\bsold\b/.test(words)) return { listing_type: "sale", status: "sold" };
  if (/\bleased\b/.test(words)) return { listing_type: "rent", status: "leased" };
  // `mode` is the channel the listing is in ("buy" / "rent"); `listingType` does not always agree with it
  // (a for-sale house of 2026-02 says mode "buy", listingType "rent"), so it decides only without a mode.
  const listing_type = mode === "buy" ? "sale" : mode === "rent" || /\brent\b/.test(words) ? "rent" : "sale";
  if (/under ?offer|under ?contract|deposit ?taken/.test(words)) return { listing_type, status: "pending" };
  return { listing_type, status: "active" };
}

function stat(summary: ListingSummary | undefined, key: string): Stat | undefined {
  return summary?.stats?.find((s) => s.key === key);
}

/** "1518/474 Flinders Street, Melbourne VIC 3000" → "VIC"; else the state in the listing URL's slug. */
function stateOf(props: DomainListingProps, url: string): string | null {
  const fromAddress = /\b([A-Z]{2,3})\s+\d{4}\s*$/.exec(props.listingSummary?.address ?? "")?.[1];
  const fromGraph = props.rootGraphQuery?.listingByIdV2?.displayableAddress?.state;
  const fromSlug = /-(act|nsw|nt|qld|sa|tas|vic|wa)-\d{4}-\d+\/?$/i.exec(url)?.[1];
  return (fromAddress ?? fromGraph ?? fromSlug)?.toUpperCase() ?? null;
}

/** A listing page's component props → item. */
export function domainListingPropsToItem(props: DomainListingProps, pageUrl: string): IngestItem {
  const id = String(props.listingId);
  const summary = props.listingSummary;
  const graph = props.rootGraphQuery?.listingByIdV2 ?? undefined;
  const url = canonicalUrl({ defaultBaseUrl: BASE }, props.listingUrl ?? pageUrl);
  const kind = kindOf(summary);
  const display = summary?.title ?? graph?.priceDetails?.displayPrice ?? null;
  // Domain quotes rents per week.
  const quoted = normalise.priceFields(display, { rent: kind.listing_type === "rent", defaultPeriod: "week" });
  const streetLine = [props.streetNumber, props.street].filter(Boolean).join(" ") || null;
  const split = normalise.splitUnit(streetLine);
  const lat = normalise.toNumber(graph?.displayableAddress?.geolocation?.latitude);
  const lng = normalise.toNumber(graph?.displayableAddress?.geolocation?.longitude);
  const description = Array.isArray(props.description) ? props.description.join("\n") : props.description;
  const features = [
    ...(props.features ?? []),
    ...(props.structuredFeatures ?? []).map((f) => (typeof f === "string" ? f : f?.name)),
  ].filter((f): f is string => typeof f === "string" && f.trim() !== "");
  const bond = normalise.toNumber(stat(summary, "bond")?.value);
  return compact({
    source: SOURCE,
    source_listing_id: id,
    source_url: url,
    property_type: normalise.mapPropertyType(props.propertyType ?? summary?.propertyType),
    property_subtype: props.propertyType ?? summary?.propertyType,
    ...kind,
    title: summary?.address ?? null,
    description: normalise.htmlToText(description),
    price: quoted.price,
    price_qualifier: quoted.price_qualifier,
    sold_price: kind.status === "sold" ? quoted.price : null,
    currency: "AUD",
    bedrooms: summary?.beds ?? null,
    bathrooms: summary?.baths ?? null,
    parking_spaces: summary?.parking ?? null,
    area_land_sqm: normalise.positiveArea(normalise.toNumber(graph?.landAreaSqm)),
    address: compact({
      street: split.street,
      unit: props.unitNumber || split.unit,
      city: normalise.tidyCase(props.suburb),
      state: stateOf(props, url),
      postal_code: props.postcode,
      country: "AU",
    }),
    location: lat !== null && lng !== null ? { lat, lng } : null,
    listed_at: normalise.parseIsoLikeDate(props.createdOn),
    images: (props.gallery?.slides ?? [])
      .map((s) => s.images?.original?.url)
      .filter((u): u is string => !!u && /^https?:\/\//.test(u)),
    features: [...new Set(features)],
    attributes: compact({
      display_price: display,
      agency: props.agencyName,
      domain_status: summary?.status,
      available_from: normalise.parseIsoLikeDate(stat(summary, "availableFrom")?.iso8601Value),
      bond,
      ...quoted.attributes,
    }),
  }) as IngestItem;
}
