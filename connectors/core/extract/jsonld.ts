/**
 * schema.org JSON-LD: collects every node on a page (arrays, `@graph` and `ItemList`s flattened) and
 * maps every listing-shaped node (RealEstateListing; Offer / AggregateOffer with `itemOffered`; a bare
 * Residence / House / Apartment / SingleFamilyResidence) into an ingest item of its own, under its own
 * URL and id. Prices come from the offer's `price` or its `priceSpecification` (`price`, `minPrice`,
 * `maxPrice`, the rent period in `unitText` / `unitCode` / `billingIncrement`); areas from
 * `unitCode` / `unitText` (FTK sq ft, MTK m², ACR acres, HAR hectares); `numberOfRooms` is rooms, not
 * bedrooms.
 */
import { toCountryCode } from "../../contract/ingest/normalise/country";
import { areaFactor } from "../../contract/ingest/normalise/units";
import { toPropertyType } from "../../contract/ingest/normalise/vocab";
import { compact, type IngestItem, type ListingStatus, type PropertyType } from "../../contract/item";
import { positiveArea, priceFields, type RentPeriod, readPrice, toInt, toNumber, toRentPeriod } from "../normalise";
import { EmbeddedJsonError, parseEmbeddedJson, scriptBodies } from "./scripts";

export type JsonLdNode = Record<string, unknown>;

export function jsonLdNodes(html: string, errors?: EmbeddedJsonError[]): JsonLdNode[] {
  const out: JsonLdNode[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      const node = v as JsonLdNode;
      if (Array.isArray(node["@graph"])) visit(node["@graph"]);
      if (node["@type"]) out.push(node);
      // An ItemList's elements are listings of their own (ListItem.item, or the element itself).
      if (isType(node, ["ItemList", "OfferCatalog"])) {
        const elements = node.itemListElement;
        for (const el of Array.isArray(elements) ? elements : elements ? [elements] : []) {
          const e = el as JsonLdNode;
          visit(e && typeof e === "object" && isType(e, ["ListItem"]) && e.item ? e.item : e);
        }
      }
    }
  };
  for (const body of scriptBodies(html, (a) => /application\/ld\+json/i.test(a.type ?? ""))) {
    try {
      visit(parseEmbeddedJson(body.trim(), "application/ld+json", html));
    } catch (err) {
      // One broken block must not hide the others; the caller may report it.
      if (err instanceof EmbeddedJsonError) errors?.push(err);
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

/** QuantitativeValue (unitCode MTK/FTK/ACR/HAR or unitText "sq ft", "m²", "acres", "ha") or a bare number → m². */
function area(v: unknown): number | null {
  const f = first(v);
  if (typeof f === "number" || typeof f === "string") return positiveArea(toNumber(f));
  if (f && typeof f === "object") {
    const q = f as JsonLdNode;
    const factor = areaFactor(String(q.unitCode ?? q.unitText ?? ""));
    if (factor === undefined) return null; // a unit we do not know is not guessed as m²
    return positiveArea(toNumber(q.value ?? q.minValue), factor);
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

const OFFER_TYPES = ["Offer", "AggregateOffer"];

/** A listing found on a page: the node that describes the sale or let, the home, and its offer. */
type Candidate = {
  listing: JsonLdNode | null;
  home: JsonLdNode;
  offer: JsonLdNode | undefined;
  /** Sale or rent as the page's one action node says it (a page-level RentAction), for a one-listing page. */
  pageAction?: "sale" | "rent";
};

/** Sale or rent from schema.org actions among the nodes' types (`["House", "BuyAction"]`, a `RentAction`). */
function actionListingType(nodes: JsonLdNode[]): "sale" | "rent" | null {
  if (nodes.some((n) => isType(n, ["RentAction", "LeaseAction"]))) return "rent";
  if (nodes.some((n) => isType(n, ["BuyAction", "SellAction"]))) return "sale";
  return null;
}

function asNode(v: unknown): JsonLdNode | undefined {
  const f = first(v);
  return f && typeof f === "object" ? (f as JsonLdNode) : undefined;
}

/** The offer's price: `price`, else its `priceSpecification`'s `price` / `minPrice`, with `maxPrice` and the rent period. */
function offerPrice(offer: JsonLdNode | undefined): {
  value: number | string | null;
  max: number | null;
  period: RentPeriod | null;
} {
  if (!offer) return { value: null, max: null, period: null };
  const specs = Array.isArray(offer.priceSpecification)
    ? offer.priceSpecification
    : offer.priceSpecification
      ? [offer.priceSpecification]
      : [];
  const spec = specs.find((p) => p && typeof p === "object") as JsonLdNode | undefined;
  const raw = offer.price ?? offer.lowPrice ?? spec?.price ?? spec?.minPrice;
  const value = typeof raw === "number" || typeof raw === "string" ? raw : null;
  const maxRaw = offer.highPrice ?? spec?.maxPrice;
  const increment = asNode(spec?.referenceQuantity);
  const period =
    toRentPeriod(text(spec?.unitText)) ??
    toRentPeriod(text(spec?.unitCode)) ??
    toRentPeriod(text(spec?.billingIncrement)) ??
    toRentPeriod(text(increment?.unitText ?? increment?.unitCode)) ??
    null;
  return { value, max: toNumber(typeof maxRaw === "string" ? readPrice(maxRaw).amount : maxRaw), period };
}

/** The listing's own URL (absolute), when it names one. */
function urlOf(c: Candidate, pageUrl: string): string | null {
  for (const v of [c.listing?.url, c.offer?.url, c.home.url, c.listing?.["@id"], c.home["@id"]]) {
    const u = text(v);
    if (!u || u.startsWith("_:")) continue;
    try {
      const url = new URL(u, pageUrl);
      if (url.protocol === "http:" || url.protocol === "https:") return url.href.replace(/#$/, "");
    } catch {
      // not a URL
    }
  }
  return null;
}

/**
 * The home's type: its `accommodationCategory` when that is a word we know, else the first `@type` that
 * names one (a `SingleFamilyResidence` whose category is a term of the site's own is still a house). A
 * category we know, "other" included (a room, a parking space), is not overridden by the type.
 */
function homeType(home: JsonLdNode): PropertyType {
  for (const said of [text(home.accommodationCategory), ...typesOf(home).filter((t) => t !== "Place")]) {
    const type = said ? toPropertyType(said) : undefined;
    if (type) return type;
  }
  return "other";
}

/**
 * One item from a candidate. `index` and `count` say where it is on the page: a page with one listing
 * keeps the context's URL and id; a page with several gives each its own URL (its `url` or `@id`) and id.
 */
function candidateToItem(c: Candidate, ctx: JsonLdContext, index: number, count: number): IngestItem | null {
  const { listing, home, offer } = c;
  const addr = asNode(home.address ?? listing?.address) ?? {};
  const geo = asNode(home.geo ?? listing?.geo);
  const street = text(addr.streetAddress);
  const city = text(addr.addressLocality);
  if (!street && !city) return null;

  const availability = String(offer?.availability ?? "").toLowerCase();
  let status: ListingStatus = "active";
  if (/soldout|sold/.test(availability)) status = "sold";
  else if (/discontinued|outofstock/.test(availability)) status = "off_market";
  const businessFunction = String(offer?.businessFunction ?? "").toLowerCase();
  const quoted = offerPrice(offer);
  const listingType =
    ctx.listingType ??
    (/lease|rent/.test(businessFunction) || quoted.period
      ? "rent"
      : (actionListingType([home, ...(listing ? [listing] : [])]) ?? c.pageAction ?? "sale"));
  const {
    price,
    price_qualifier,
    attributes: priceAttributes,
  } = priceFields(quoted.value, {
    rent: listingType === "rent",
    period: quoted.period,
  });
  if (quoted.max !== null && price !== null) {
    const max = priceFields(quoted.max, { rent: listingType === "rent", period: quoted.period }).price;
    if (max !== null && max > price) priceAttributes.price_max = max;
  }
  const lat = toNumber(geo?.latitude);
  const lng = toNumber(geo?.longitude);
  const ownUrl = count > 1 ? urlOf(c, ctx.url) : null;
  const identifier = text(listing?.identifier ?? offer?.identifier ?? home.identifier ?? offer?.sku);
  const id =
    (count > 1 ? null : ctx.sourceListingId) ??
    identifier ??
    (ownUrl ? new URL(ownUrl).pathname + new URL(ownUrl).search + new URL(ownUrl).hash : null) ??
    (count > 1 ? `${ctx.sourceListingId ?? new URL(ctx.url).pathname}#${index + 1}` : ctx.url);
  const rooms = toNumber(first(home.numberOfRooms));
  const datePosted = text(listing?.datePosted ?? offer?.validFrom);
  const posted = datePosted ? new Date(datePosted) : null;

  return compact({
    source: ctx.source,
    source_listing_id: id,
    source_url: ownUrl ?? ctx.url,
    property_type: homeType(home),
    listing_type: listingType,
    status,
    title: text(listing?.name ?? offer?.name ?? home.name),
    description: text(listing?.description ?? offer?.description ?? home.description),
    price,
    price_qualifier: priceAttributes.price_max !== undefined ? "range" : price_qualifier,
    currency: text(offer?.priceCurrency) ?? text(asNode(offer?.priceSpecification)?.priceCurrency) ?? ctx.currency,
    // numberOfRooms counts every room (3.5 in Swiss listings); only numberOfBedrooms is bedrooms.
    bedrooms: toInt(first(home.numberOfBedrooms)),
    bathrooms: toNumber(first(home.numberOfBathroomsTotal) ?? first(home.numberOfFullBathrooms)),
    area_living_sqm: area(home.floorSize),
    area_land_sqm: area(home.lotSize),
    year_built: toInt(home.yearBuilt),
    address: compact({
      street,
      city,
      state: text(addr.addressRegion),
      postal_code: text(addr.postalCode),
      // A code or an English name ("ZA", "South Africa"); anything else is the site's country, never the
      // name's first two letters ("South Africa" is not SO).
      country: toCountryCode(text(addr.addressCountry) ?? "") ?? ctx.country,
    }),
    location: lat !== null && lng !== null ? { lat, lng } : null,
    listed_at: posted && !Number.isNaN(posted.getTime()) ? posted.toISOString() : null,
    images: images(home.image ?? listing?.image ?? offer?.image),
    features: (Array.isArray(home.amenityFeature) ? home.amenityFeature : []).map((f) => text(f)).filter((f): f is string => !!f),
    attributes: compact({ rooms, ...priceAttributes }),
  }) as IngestItem;
}

/** One item from a listing node (RealEstateListing, Offer with itemOffered) or a bare residence node. */
export function schemaOrgToItem(node: JsonLdNode, ctx: JsonLdContext): IngestItem | null {
  const c = candidateOf(node);
  return c ? candidateToItem(c, ctx, 0, 1) : null;
}

/**
 * What a listing node is about: its `mainEntity` / `about` / `itemOffered`, followed through a WebPage or
 * another listing that only points further on (RealEstateListing → WebPage → the home), a few steps at most.
 */
function describedHome(node: JsonLdNode): JsonLdNode | undefined {
  let home = asNode(node.mainEntity) ?? asNode(node.about) ?? asNode(node.itemOffered);
  for (let step = 0; home && step < 3 && !isType(home, RESIDENCE_TYPES); step++) {
    const next = asNode(home.mainEntity) ?? asNode(home.about);
    if (!next || !isType(home, ["WebPage", ...LISTING_TYPES])) break;
    home = next;
  }
  return home;
}

/** A node that states a price itself (`price` beside the home's facts, no Offer) stands for its offer. */
function ownPrice(...nodes: Array<JsonLdNode | undefined>): JsonLdNode | undefined {
  return nodes.find((n) => n && (n.price !== undefined || n.priceSpecification !== undefined));
}

function candidateOf(node: JsonLdNode): Candidate | null {
  if (isType(node, LISTING_TYPES)) {
    const home = describedHome(node);
    const offer = asNode(node.offers) ?? asNode(home?.offers) ?? ownPrice(node, home);
    const offered = offer && !home ? asNode(offer.itemOffered) : undefined;
    return { listing: node, home: home ?? offered ?? node, offer };
  }
  if (isType(node, OFFER_TYPES)) {
    const home = asNode(node.itemOffered);
    return home ? { listing: null, home, offer: node } : null;
  }
  if (isType(node, RESIDENCE_TYPES)) return { listing: null, home: node, offer: asNode(node.offers) ?? ownPrice(node) };
  return null;
}

/**
 * Every listing on a page, each under its own URL and id: RealEstateListing nodes and Offers of a home
 * (however nested: `@graph`, arrays, ItemList elements); bare residences only when there are none, and
 * never a home some listing or offer already describes.
 */
export function schemaOrgItems(html: string, ctx: JsonLdContext): IngestItem[] {
  const nodes = jsonLdNodes(html);
  const candidates: Candidate[] = [];
  const described = new Set<JsonLdNode>();
  for (const n of nodes) {
    if (!isType(n, LISTING_TYPES) && !(isType(n, OFFER_TYPES) && asNode(n.itemOffered))) continue;
    const c = candidateOf(n);
    if (!c) continue;
    described.add(c.home);
    if (c.offer) described.add(c.offer);
    candidates.push(c);
  }
  // An Offer that a RealEstateListing already carries is not a second listing.
  const listed = candidates.filter(
    (c) => !(c.listing === null && c.offer && candidates.some((o) => o.listing && o.offer === c.offer)),
  );
  const residences = nodes.filter((n) => isType(n, RESIDENCE_TYPES) && !described.has(n));
  const chosen = listed.length > 0 ? listed : residences.map((n) => candidateOf(n) as Candidate);
  let items = chosen.map((c, i) => candidateToItem(c, ctx, i, chosen.length)).filter((i): i is IngestItem => i !== null);
  if (items.length === 0) {
    // A one-listing page may spread its listing over separate nodes: a RealEstateListing without the home,
    // the home as a bare residence, its price in a Product's offer. One home, at most one listing and one
    // priced offer (never an Event's) on the page are that listing; anything more is not guessed at.
    const listings = nodes.filter((n) => isType(n, LISTING_TYPES));
    const offers = nodes
      .filter((n) => isType(n, ["Product"]) || (isType(n, OFFER_TYPES) && !asNode(n.itemOffered)))
      .map((n) => (isType(n, OFFER_TYPES) ? n : asNode(n.offers)))
      .filter((o): o is JsonLdNode => !!o && (o.price !== undefined || o.priceSpecification !== undefined));
    const homes = nodes.filter((n) => isType(n, RESIDENCE_TYPES) && !isType(n, LISTING_TYPES));
    if (homes.length === 1 && listings.length <= 1 && offers.length <= 1) {
      const one: Candidate = {
        listing: listings[0] ?? null,
        home: homes[0] as JsonLdNode,
        offer: offers[0] ?? asNode(homes[0]?.offers),
        pageAction: actionListingType(nodes) ?? undefined,
      };
      items = [candidateToItem(one, ctx, 0, 1)].filter((i): i is IngestItem => i !== null);
    }
  } else if (items.length === 1 && chosen.length === 1 && chosen[0]) {
    // One listing: a page-level action (a RentAction beside the home) says sale or rent when nothing closer does.
    const action = actionListingType(nodes);
    if (action && !chosen[0].pageAction) items = [candidateToItem({ ...chosen[0], pageAction: action }, ctx, 0, 1) as IngestItem];
  }
  // Two nodes describing one listing (the same id) are one item.
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.source_listing_id) && seen.add(i.source_listing_id));
}
