/**
 * schema.org JSON-LD: collects every node on a page (arrays and `@graph` flattened) and maps
 * listing-shaped nodes (RealEstateListing, Residence / House / Apartment / SingleFamilyResidence,
 * Offer, PostalAddress, GeoCoordinates) into ingest items.
 */
import { compact, type IngestItem, type ListingStatus } from "../item";
import { mapPropertyType, parsePrice, positiveArea, SQFT_TO_SQM, toInt, toNumber } from "../normalise";
import { scriptBodies } from "./scripts";

export type JsonLdNode = Record<string, unknown>;

export function jsonLdNodes(html: string): JsonLdNode[] {
  const out: JsonLdNode[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      const node = v as JsonLdNode;
      if (Array.isArray(node["@graph"])) visit(node["@graph"]);
      if (node["@type"]) out.push(node);
    }
  };
  for (const body of scriptBodies(html, /application\/ld\+json/i)) {
    try {
      visit(JSON.parse(body.trim()));
    } catch {
      // One broken block must not hide the others.
    }
  }
  return out;
}

export function typesOf(node: JsonLdNode): string[] {
  const t = node["@type"];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === "string");
}

export const LISTING_TYPES = ["RealEstateListing"];
export const RESIDENCE_TYPES = [
  "Residence",
  "House",
  "Apartment",
  "SingleFamilyResidence",
  "ApartmentComplex",
  "Accommodation",
  "GatedResidenceCommunity",
  "Place",
];

export function isType(node: JsonLdNode, types: readonly string[]): boolean {
  return typesOf(node).some((t) => types.includes(t));
}

function first<T = unknown>(v: unknown): T | undefined {
  return (Array.isArray(v) ? v[0] : v) as T | undefined;
}

function text(v: unknown): string | null {
  const f = first(v);
  if (typeof f === "string") return f.trim() || null;
  if (typeof f === "number") return String(f);
  if (f && typeof f === "object" && typeof (f as JsonLdNode).name === "string") return (f as JsonLdNode).name as string;
  return null;
}

/** QuantitativeValue (unitCode MTK = m², FTK = ft²) or a bare number → m². */
function area(v: unknown): number | null {
  const f = first(v);
  if (typeof f === "number" || typeof f === "string") return positiveArea(toNumber(f));
  if (f && typeof f === "object") {
    const q = f as JsonLdNode;
    const unit = String(q.unitCode ?? q.unitText ?? "MTK").toUpperCase();
    const factor = unit === "FTK" || unit.includes("FT") ? SQFT_TO_SQM : 1;
    return positiveArea(toNumber(q.value), factor);
  }
  return null;
}

function images(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v ? [v] : [];
  return list
    .map((i) =>
      typeof i === "string" ? i : typeof (i as JsonLdNode)?.url === "string" ? ((i as JsonLdNode).url as string) : null,
    )
    .filter((u): u is string => !!u && /^https?:\/\//.test(u));
}

export type JsonLdContext = {
  source: string;
  url: string;
  country: string;
  currency: string;
  listingType?: "sale" | "rent";
  sourceListingId?: string;
};

/**
 * One item from a listing node (RealEstateListing with its `mainEntity`/`about` and `offers`) or a bare
 * residence node. Returns null when the node has no usable address.
 */
export function schemaOrgToItem(node: JsonLdNode, ctx: JsonLdContext): IngestItem | null {
  const listing = isType(node, LISTING_TYPES) ? node : null;
  const residence = (listing ? (first(listing.mainEntity) ?? first(listing.about) ?? first(listing.itemOffered)) : node) as
    | JsonLdNode
    | undefined;
  const home = residence && typeof residence === "object" ? residence : node;
  const offer = first<JsonLdNode>(listing?.offers ?? home.offers ?? node.offers);
  const addr = first<JsonLdNode>(home.address ?? listing?.address) ?? {};
  const geo = first<JsonLdNode>(home.geo ?? listing?.geo);
  const street = text(addr.streetAddress);
  const city = text(addr.addressLocality);
  if (!street && !city) return null;

  const availability = String(offer?.availability ?? "").toLowerCase();
  let status: ListingStatus = "active";
  if (/soldout|sold/.test(availability)) status = "sold";
  else if (/discontinued|outofstock/.test(availability)) status = "off_market";
  const businessFunction = String(offer?.businessFunction ?? "").toLowerCase();
  const listingType = ctx.listingType ?? (/lease|rent/.test(businessFunction) ? "rent" : "sale");
  const lat = toNumber(geo?.latitude);
  const lng = toNumber(geo?.longitude);
  const price = toNumber(offer?.price) ?? parsePrice(text(offer?.price));
  const id =
    ctx.sourceListingId ??
    text(listing?.identifier ?? home.identifier ?? node.identifier) ??
    text(listing?.["@id"] ?? home["@id"]) ??
    ctx.url;

  return compact({
    source: ctx.source,
    source_listing_id: id,
    source_url: ctx.url,
    property_type: mapPropertyType(text(home.accommodationCategory) ?? typesOf(home).find((t) => t !== "Place") ?? null),
    listing_type: listingType,
    status,
    title: text(listing?.name ?? home.name),
    description: text(listing?.description ?? home.description),
    price,
    currency: text(offer?.priceCurrency) ?? ctx.currency,
    bedrooms: toInt(first(home.numberOfBedrooms) ?? first(home.numberOfRooms)),
    bathrooms: toNumber(first(home.numberOfBathroomsTotal) ?? first(home.numberOfFullBathrooms)),
    area_living_sqm: area(home.floorSize),
    area_land_sqm: area(home.lotSize),
    year_built: toInt(home.yearBuilt),
    address: compact({
      street,
      city,
      state: text(addr.addressRegion),
      postal_code: text(addr.postalCode),
      country: (text(addr.addressCountry) ?? ctx.country).slice(0, 2).toUpperCase(),
    }),
    location: lat !== null && lng !== null ? { lat, lng } : null,
    listed_at: text(listing?.datePosted) ? new Date(text(listing?.datePosted) as string).toISOString() : null,
    images: images(home.image ?? listing?.image),
    features: (Array.isArray(home.amenityFeature) ? home.amenityFeature : []).map((f) => text(f)).filter((f): f is string => !!f),
  }) as IngestItem;
}

/** Every listing on a page: RealEstateListing nodes first; bare residences when there are none. */
export function schemaOrgItems(html: string, ctx: JsonLdContext): IngestItem[] {
  const nodes = jsonLdNodes(html);
  const listings = nodes.filter((n) => isType(n, LISTING_TYPES));
  const candidates = listings.length > 0 ? listings : nodes.filter((n) => isType(n, RESIDENCE_TYPES));
  return candidates.map((n) => schemaOrgToItem(n, ctx)).filter((i): i is IngestItem => i !== null);
}
