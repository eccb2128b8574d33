/**
 * rightmove.co.uk (GB). Search result pages carry `window.jsonModel` with every card's id, address,
 * coordinates, price (amount + frequency), beds/baths, type and photos, so discovery needs no detail
 * fetches. Listing pages carry `window.PAGE_MODEL.propertyData` (full address with postcode, sizes,
 * key features, tenure, letting details); the listing pages of 2018 carried no such state: their data is
 * an analytics record (`DataLayer.pushKV('property', {…})`) beside schema.org microdata in the HTML.
 * Rightmove's own not-found page is reported as that (`not_found`), never as a layout change.
 *
 * Location = the site's search path without ".html": "property-to-rent/London-87490",
 * "property-for-sale/Archway-…". Rents are normalised to per calendar month (the site's own "pcm").
 */
import type { Connector, ConnectorContext, SearchPage } from "../contract/connector";
import { canonicalUrl, enrichByRescrape, siteUrl } from "../contract/connector";
import { CrawlError, layoutChanged, notFoundPage } from "../contract/errors";
import { parseArea } from "../contract/ingest/normalise/units";
import { compact, type IngestItem } from "../contract/item";
import { type HtmlDocument, parseDocument, textOf } from "../core/extract/html";
import { assignedJson, balancedJsonAt, EmbeddedJsonError, nextData, parseEmbeddedJson } from "../core/extract/scripts";
import {
  htmlToText,
  mapPropertyType,
  parseDayMonthYear,
  parseIsoLikeDate,
  positiveArea,
  priceFields,
  readPrice,
  SQFT_TO_SQM,
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
  /** "BUY" / "RENT": the map view's cards carry only this, not `transactionType`. */
  channel?: string;
  auction?: boolean;
  propertyUrl?: string;
  propertyImages?: { images?: Array<{ srcUrl?: string; url?: string }> };
  displaySize?: string;
  customer?: { brandTradingName?: string; branchDisplayName?: string };
};
type RmSearchModel = {
  properties?: RmCard[];
  /** The map view (`/property-for-sale/map.html`): the cards as a GeoJSON FeatureCollection. */
  geoJsonProperties?: {
    features?: Array<{ properties?: RmCard; geometry?: { coordinates?: [number, number] } }>;
  };
  resultCount?: string | number;
  pagination?: { next?: string | number | null; total?: number; page?: string | number; options?: unknown[] };
};

/** What a search page's parser looks for, in the layout-drift alarm's words. */
export const RIGHTMOVE_SEARCH_MARKER =
  "__NEXT_DATA__ props.pageProps.searchResults.properties (2025) or window.jsonModel.properties, or searchResults.geoJsonProperties.features (map view)";

/**
 * A search page's model in either layout: the Next.js pages of 2025 (`__NEXT_DATA__`
 * `props.pageProps.searchResults`, the same card shape) or the older `window.jsonModel`.
 */
export function rightmoveSearchModel(html: string): RmSearchModel | null {
  const next = nextData<{ props?: { pageProps?: { searchResults?: RmSearchModel } } }>(html);
  const results = next?.props?.pageProps?.searchResults;
  if (results && Array.isArray(results.properties)) return results;
  // The map view keeps the same cards as GeoJSON features, each card in the feature's `properties`
  // (with its own `location`; the point's [lng, lat] is the same place, taken when a card lacks one).
  const features = results?.geoJsonProperties?.features;
  if (results && Array.isArray(features)) {
    const properties = features.flatMap((feature) => {
      const card = feature?.properties;
      if (!card || typeof card !== "object") return [];
      const [lng, lat] = feature.geometry?.coordinates ?? [];
      return [card.location || lat === undefined ? card : { ...card, location: { latitude: lat, longitude: lng } }];
    });
    return { ...results, properties };
  }
  const model = assignedJson<RmSearchModel>(html, "window.jsonModel");
  return model && Array.isArray(model.properties) ? model : null;
}

/**
 * Counties as agents write them at the end of an address ("…, Kettering, Northamptonshire, NN16",
 * "…, Brigg, North Lincolnshire, DN20"): the area the town is in, never the town. Names that are also
 * towns (Durham, Antrim, Conwy, Manchester, …) count only as "County Durham", "Co. Antrim", "Greater Manchester".
 */
const UK_COUNTIES = [
  "avon|bedfordshire|berkshire|buckinghamshire|cambridgeshire|cheshire|cleveland|cornwall|cumbria|derbyshire|devon",
  "dorset|essex|gloucestershire|hampshire|herefordshire|hertfordshire|humberside|isle of wight|kent|lancashire",
  "leicestershire|lincolnshire|merseyside|middlesex|norfolk|northamptonshire|northumberland|nottinghamshire",
  "oxfordshire|rutland|shropshire|somerset|staffordshire|suffolk|surrey|sussex|tyne and wear|warwickshire",
  "midlands|wiltshire|worcestershire|yorkshire|greater manchester|greater london|anglesey|gwynedd|denbighshire|flintshire|powys",
  "ceredigion|pembrokeshire|carmarthenshire|glamorgan|gwent|monmouthshire|aberdeenshire|ayrshire|lanarkshire",
  "lothian|perthshire|stirlingshire|renfrewshire|dunbartonshire|dumfriesshire|fife|angus|argyll and bute|moray",
].join("|");
const UK_COUNTY = new RegExp(
  `^(?:(?:county|co\\.)\\s+\\S.*|(?:(?:north|south|east|west|mid|north east|north west|south east|south west|east riding of)\\s+)?(?:${UK_COUNTIES}))$`,
  "i",
);

/** The last word of a street's name, which no town in an address ends with ("Road", "Close", …). */
const UK_STREET =
  /\b(?:road|street|lane|avenue|close|way|drive|crescent|gardens|grove|terrace|place|mews|walk|square|row|parade)$/i;
/** The last word of a building's name ("Rigel House", "Julius Court", "Building 22", "Pinnings Cottage"). */
const UK_BUILDING =
  /\b(?:house|court|lodge|buildings?(?:\s+\d+\w*)?|apartments|yard|market|cottages?|mill|wharf|tower|mansions|hall|works|studios|heights)$/i;

/** A flat or unit written as its own part before the street ("Flat B", "Apartment 12", "Unit 3"). */
const UK_UNIT = /^(?:flat|apartment|apt\.?|unit|suite|maisonette|studio)\s+[A-Z\d][\w-]*$/i;

/** A house's own name ("The Greenshank", "Greenacres"): words only, no number, not a street nor a flat. */
function isHouseName(part: string): boolean {
  return /^[A-Za-z][A-Za-z'’.\- ]*$/.test(part) && !UK_STREET.test(part) && !UK_UNIT.test(part) && !UK_POSTCODE.test(part);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * "Sycamore Street, London, EC1Y 0SR, UK" → street, city, postcode (postcode may be only an outcode).
 * Agents write the same address in many ways; each rule below is one of them, found on real pages (the
 * hold-outs in connectors/holdout/RESULTS.md): parts on separate lines, a postcode after the town without
 * a comma, a postcode district before the street, the county after the town, a flat or a building
 * named before the street, a street where the town would be.
 */
export function splitUkAddress(display: string | undefined, postcode?: string | null) {
  const parts = (display ?? "")
    .split(/[,|\r\n]+/)
    .map((p) => p.trim().replace(/\s*[.;:]+$/, ""))
    .filter(Boolean);
  if (parts.at(-1)?.toUpperCase() === "UK" || parts.at(-1)?.toLowerCase() === "united kingdom") parts.pop();
  let postal = postcode ?? null;
  if (parts.length > 1 && UK_POSTCODE.test(parts.at(-1) as string)) {
    const last = parts.pop() as string;
    postal = postal ?? last.toUpperCase();
  } else if (parts.length > 0) {
    // A postcode at the end of the last part, without a comma: after the town when other parts come
    // first ("Church Way, Thorpe Malsor, Kettering NN14"), after at least two words when the address is
    // a single part ("St. Helens Gardens London W10"; "Cambridge Gardens" has none).
    const tail = (parts.length > 1 ? /^(\S.*?)\s+(\S+(?:\s+\d[A-Z]{2})?)$/i : /^(\S+\s+\S.*?)\s+(\S+(?:\s+\d[A-Z]{2})?)$/i).exec(
      parts.at(-1) as string,
    );
    if (tail?.[1] && tail[2] && UK_POSTCODE.test(tail[2])) {
      parts[parts.length - 1] = tail[1].replace(/\s*[.;:]+$/, "");
      postal = postal ?? tail[2].toUpperCase();
    }
  }
  // A postcode district written before the street ("NN15 Silverstone Road, Burton Latimer").
  const lead = /^([A-Z]{1,2}\d[A-Z\d]?)\s+(\S.*)$/i.exec(parts[0] ?? "");
  if (lead?.[1] && lead[2] && UK_POSTCODE.test(lead[1]) && /[a-z]{2}/i.test(lead[2]) && !/^\d[A-Z]{2}\b/i.test(lead[2])) {
    parts[0] = lead[2];
    postal = postal ?? lead[1].toUpperCase();
  }
  // Written without commas ("Date Street London SE17", "St. Helens Gardens London W10"): the words after
  // the street's last word are the town, unless they only say which end of the street ("High Street North").
  if (parts.length === 1) {
    const words = (parts[0] as string).split(/\s+/);
    const end = words.findLastIndex((w) => UK_STREET.test(w));
    const town = words.slice(end + 1);
    if (
      end > 0 &&
      town.length >= 1 &&
      town.length <= 3 &&
      town.every((w) => /^[A-Z]/.test(w) && !UK_STREET.test(w)) &&
      !/^(?:north|south|east|west|upper|lower)$/i.test(town[0] as string)
    )
      parts.splice(0, 1, words.slice(0, end + 1).join(" "), town.join(" "));
  }
  const county = parts.length > 2 && UK_COUNTY.test(parts.at(-1) as string) ? (parts.pop() as string) : null;
  let city = parts.length > 1 ? (parts.pop() as string) : null;
  // A street is no town: "School House Yard, Bloomfield Road, SE18 7JD" names none.
  if (city && UK_STREET.test(city)) {
    parts.push(city);
    city = null;
  }
  // "Flat B, 35 Solon Road, Brixton": the flat is the unit of the street that follows it.
  const unit = parts.length > 1 && UK_UNIT.test(parts[0] as string) ? (parts.shift() as string) : null;
  // "Cadnam Lodge, Schooner Close, London": a building named before its street is not the street. So is
  // a house's name without a building's word ("The Greenshank, Horsley Road, Gainsborough"): a first part
  // with no number and no street's last word, followed by a street.
  const building =
    parts.length > 1 &&
    UK_STREET.test(parts[1] as string) &&
    (UK_BUILDING.test(parts[0] as string) || isHouseName(parts[0] as string))
      ? (parts.shift() as string)
      : null;
  let street = parts[0] ?? null;
  // "5B Mount Pleasant Road London SE13 6RD, London, SE13 6RD": the town and postcode written twice.
  if (street && postal && city) {
    const repeated = new RegExp(`(?:\\s+${escapeRegExp(city)})?\\s+${escapeRegExp(postal)}$`, "i");
    if (repeated.test(street)) street = street.replace(repeated, "") || street;
  }
  return {
    street,
    unit,
    building,
    locality: parts.slice(1).join(", ") || null,
    city: tidyCase(city),
    county: tidyCase(county),
    postal_code: postal,
  };
}

/**
 * A photo's address as a page gives it: absolute, or protocol-relative as on the 2018 search pages
 * ("//media.rightmove.co.uk/…", which made every item of such a page invalid). Anything that is no web
 * address is left out rather than let one photo cost the listing.
 */
function photoUrl(src: string | undefined): string | null {
  if (!src) return null;
  if (/^https?:\/\//i.test(src)) return src;
  try {
    const url = new URL(src, "https://www.rightmove.co.uk/");
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * A card's "731 sq. ft." / "68 sq. m." in m². A bare number names no unit and is not taken, nor is a
 * size no home has ("1 sq. ft.", an agent's placeholder on the W10 page): under 10 m² says nothing.
 */
function displayedArea(text: string | undefined): number | null {
  if (!text || !/[a-z²]/i.test(text)) return null;
  const sqm = positiveArea(parseArea(text) ?? null);
  return sqm !== null && sqm >= 10 ? sqm : null;
}

/** The card's price as a reader would see it: its qualifier, then the amount ("Guide Price £950,000"). */
function displayPriceText(price: RmPrice | undefined): string {
  const shown = price?.displayPrices?.[0];
  return [shown?.displayPriceQualifier, shown?.displayPrice].filter((part) => part?.trim()).join(" ");
}

export function rightmoveCardToItem(card: RmCard): IngestItem {
  // The map view's cards say the channel ("BUY", "RENT") and no transaction type.
  const rent = (card.transactionType ?? card.channel ?? "").toLowerCase() === "rent";
  // The card's amount is in its own frequency ("weekly", "monthly", "yearly", …); rents become per month.
  const {
    price,
    price_qualifier,
    attributes: priceAttributes,
  } = priceFields(toNumber(card.price?.amount), {
    rent,
    period: toRentPeriod(card.price?.frequency),
  });
  // "Shared ownership £159,000": the amount buys a share of the home (40 % on the page where this was
  // found, the same flat £397,500 whole), so it is not the home's price; kept aside, never as `price`.
  const shared = /shared\s*ownership/i.test(displayPriceText(card.price));
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
    price: shared ? null : price,
    // The card states its qualifier ("Guide Price", "Offers in Excess of") apart from the amount's text.
    price_qualifier: shared ? null : (price_qualifier ?? readPrice(displayPriceText(card.price)).qualifier),
    currency: card.price?.currencyCode ?? "GBP",
    bedrooms: card.bedrooms ?? null,
    bathrooms: card.bathrooms ?? null,
    area_living_sqm: displayedArea(card.displaySize),
    address: compact({
      street: addr.street,
      unit: addr.unit,
      city: addr.city,
      postal_code: addr.postal_code,
      country: card.countryCode ?? "GB",
    }),
    location: lat !== null && lng !== null ? { lat, lng } : null,
    listed_at: card.firstVisibleDate ?? card.listingUpdate?.listingUpdateDate ?? null,
    images: (card.propertyImages?.images ?? []).map((i) => photoUrl(i.srcUrl)).filter((u): u is string => !!u),
    attributes: compact({
      price_frequency: card.price?.frequency,
      display_price: card.price?.displayPrices?.[0]?.displayPrice,
      locality: addr.locality,
      building: addr.building,
      county: addr.county,
      shared_ownership: shared ? true : null,
      share_price: shared ? price : null,
      // Sold at auction: the card flags it apart from its price text ("Guide Price £150,000").
      auction: card.auction === true ? true : null,
      agent: card.customer?.branchDisplayName,
      listing_update: card.listingUpdate?.listingUpdateReason,
      ...priceAttributes,
    }),
  }) as IngestItem;
}

type RmPropertyData = {
  id: string;
  text?: { description?: string; propertyPhrase?: string };
  prices?: { primaryPrice?: string; secondaryPrice?: string; displayPriceQualifier?: string };
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
  sharedOwnership?: { sharedOwnershipFlag?: boolean; ownershipPercentage?: number };
};

/** A listing page's PAGE_MODEL → item. */
export function rightmovePageModelToItem(data: RmPropertyData): IngestItem {
  const rent = (data.transactionType ?? "").toUpperCase() === "RENT";
  const primary = data.prices?.primaryPrice ?? "";
  // "£3,370 pcm", "£260 pw", "Offers in excess of £450,000": the text says the period and the qualifier;
  // pages also state the qualifier apart ("Offers Over" beside "£425,000"), as the search cards do.
  const { price, price_qualifier, attributes: priceAttributes } = priceFields(primary, { rent });
  const shared =
    data.sharedOwnership?.sharedOwnershipFlag === true || /shared\s*ownership/i.test(data.prices?.displayPriceQualifier ?? "");
  const statedQualifier = data.prices?.displayPriceQualifier?.trim()
    ? readPrice(`${data.prices.displayPriceQualifier} ${primary}`).qualifier
    : undefined;
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
    // A shared-ownership price buys a share of the home, not the home (as on the search cards).
    price: shared ? null : price,
    price_qualifier: shared ? null : (price_qualifier ?? statedQualifier),
    currency: "GBP",
    bedrooms: data.bedrooms ?? null,
    bathrooms: data.bathrooms ?? null,
    area_living_sqm: positiveArea(toNumber(sqm?.maximumSize ?? sqm?.minimumSize)),
    address: compact({
      street: addr.street,
      unit: addr.unit,
      city: addr.city,
      postal_code: addr.postal_code,
      country: data.address?.countryCode ?? "GB",
    }),
    location: lat !== null && lng !== null ? { lat, lng } : null,
    images: (data.images ?? []).map((i) => photoUrl(i.url)).filter((u): u is string => !!u),
    // Key features arrive with the HTML entities of the agent's text ("Stylish &amp; Spacious").
    features: (data.keyFeatures ?? []).map((f) => htmlToText(f)).filter((f): f is string => !!f),
    attributes: compact({
      display_price: primary || null,
      building: addr.building,
      county: addr.county,
      shared_ownership: shared ? true : null,
      share_price: shared ? price : null,
      ownership_percentage: shared ? (data.sharedOwnership?.ownershipPercentage ?? null) : null,
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

/** What a listing page's parser looks for, in the layout-drift alarm's words. */
export const RIGHTMOVE_LISTING_MARKER =
  "window.PAGE_MODEL.propertyData, or the 2018 page's DataLayer record 'property' (with its propertyId)";

/**
 * Rightmove's own "page not found" page ("We couldn't find the place you were looking for", 2026: a
 * `PAGE_MODEL` holding only host names, the page's assets named `pagenotfound.*`), or any page whose
 * title says the site could not find it. Asked only after the listing and search readers found nothing,
 * so a listing page can never be taken for it. The reason, or null.
 */
export function rightmoveNotFoundPage(html: string): string | null {
  const doc = parseDocument(html);
  const title = textOf(doc, "title");
  const assets = [...doc.querySelectorAll("script[src], link[href]")].map(
    (el) => el.getAttribute("src") ?? el.getAttribute("href") ?? "",
  );
  const named = assets.some((a) => /\/(?:page-?not-?found|not-?found|404-?page|error-?404)[^/]*\.(?:js|css)(?:[?#]|$)/i.test(a));
  const said = !!title && /couldn.t find|could not find|page not found|isn.t the place|\b404\b/i.test(title);
  if (!named && !said) return null;
  return `the site's own page-not-found page${title ? ` ("${title}")` : ""}: no listing or search result on it`;
}

/** The 2018 listing page's analytics record of the listing (`DataLayer.pushKV('property', {…})`). */
type Rm2018Property = {
  propertyId?: number | string;
  location?: { postcode?: string | null; country?: string | null; latitude?: number; longitude?: number };
  propertyInfo?: {
    propertyType?: string | null;
    propertySubType?: string | null;
    price?: number | null;
    beds?: number | null;
    added?: string | null;
    soldSTC?: boolean | null;
    ownership?: string | null;
    auctionOnly?: boolean | null;
    letAgreed?: boolean | null;
    lettingType?: string | null;
    furnishedType?: string | null;
    minSizeFt?: number | null;
    maxSizeFt?: number | null;
    priceQualifier?: string | null;
    currency?: string | null;
  };
};
type Rm2018Branch = { brandName?: string | null; companyName?: string | null; branchName?: string | null };
type Rm2018Page = { channel?: string | null };

/**
 * A record the 2018 pages hand to their analytics, `pushKV('property', {…})` (called directly or through
 * a wrapper, `(function(k,v){…}('property', {…}))`): the first JSON literal after the key, in any script
 * block, that parses (the same key is also pushed with JavaScript values: `{ screenHeight : w.innerHeight }`).
 * `required`: a record that is there but never parses is reported with its offset in the page (a
 * truncated capture), not as "not found".
 */
function dataLayerRecord<T>(doc: HtmlDocument, html: string, key: string, required = false): T | null {
  const call = new RegExp(`\\(\\s*['"]${key}['"]\\s*,\\s*(?=\\{)`, "g");
  let failure: unknown = null;
  for (const script of doc.querySelectorAll("script")) {
    const body = script.textContent ?? "";
    if (!body.includes("pushKV")) continue;
    for (let m = call.exec(body); m; m = call.exec(body)) {
      const literal = balancedJsonAt(body, m.index + m[0].length);
      if (!literal) {
        failure ??= new EmbeddedJsonError(
          `DataLayer record '${key}'`,
          new TextEncoder().encode(html).length,
          "the JSON literal is not closed before the end of the page",
        );
        continue;
      }
      try {
        return parseEmbeddedJson<T>(literal, `DataLayer record '${key}'`, html);
      } catch (err) {
        failure ??= err;
      }
    }
  }
  if (failure && required) throw failure;
  return null;
}

/**
 * A listing page of 2018 (`/property-for-sale/property-64166101.html`): no embedded page state. The
 * analytics record `property` holds the id, full postcode, coordinates, type, beds, price, date added and
 * the sold-STC / let-agreed flags; the HTML holds the rest as schema.org microdata inside the
 * `Residence` (name, `address` → `streetAddress`, `photo` → `contentUrl`, `description`) and the price
 * as displayed (`#propertyHeaderPrice`, its qualifier beside the amount), the key features and tenure.
 * Null when the page has no such record (not this layout).
 */
export function rightmove2018Listing(html: string): IngestItem | null {
  const doc = parseDocument(html);
  const record = dataLayerRecord<Rm2018Property>(doc, html, "property", true);
  if (record?.propertyId == null || record.propertyId === "") return null;
  const info = record.propertyInfo ?? {};
  const channel = dataLayerRecord<Rm2018Page>(doc, html, "page")?.channel ?? "";
  const branch = dataLayerRecord<Rm2018Branch>(doc, html, "branch");
  const residence = doc.querySelector('[itemtype$="schema.org/Residence"]') ?? doc;
  const title = textOf(residence, '[itemprop="name"]') ?? textOf(doc, "h1");
  // "renting" on a letting's page, "buying" on a sale's; the heading says "to rent" / "for sale" too.
  const rent = /rent|lett/i.test(channel) || (!channel && /\bto rent\b/i.test(title ?? ""));

  // The price as shown: the amount (with "pcm" / "pw" for a rent) in <strong>, a qualifier ("Guide
  // Price", "Offers in Excess of") beside it; the record's own qualifier ("None" when there is none) else.
  const header = doc.querySelector("#propertyHeaderPrice");
  const amountText = (header && (textOf(header, "strong") ?? textOf(doc, "#propertyHeaderPrice"))) ?? "";
  // (A <small> with an amount in it is the other period's figure, "£485 pw", not a qualifier.)
  const shownQualifier = header
    ? [...header.querySelectorAll("small, .property-header-qualifier")]
        .map((el) => el.textContent?.replace(/\s+/g, " ").trim())
        .filter((q) => q && !/\d/.test(q))
    : [];
  const stated = [...shownQualifier, info.priceQualifier && !/^none$/i.test(info.priceQualifier) ? info.priceQualifier : null]
    .filter((q): q is string => !!q)
    .join(" ");
  const { price, price_qualifier, attributes: priceAttributes } = priceFields(amountText || (rent ? null : info.price), { rent });
  const qualifier = price_qualifier ?? (stated ? readPrice(`${stated} ${amountText}`).qualifier : null);
  // "Shared ownership" buys a share of the home (the record says "Non-shared ownership" otherwise).
  const shared = /^shared/i.test(info.ownership ?? "") || /shared\s*ownership/i.test(stated);

  const display =
    residence.querySelector('[itemprop="address"] [itemprop="streetAddress"]')?.getAttribute("content") ??
    textOf(residence, '[itemprop="address"]');
  const addr = splitUkAddress(display ?? undefined, record.location?.postcode?.trim() || null);
  const lat = toNumber(record.location?.latitude);
  const lng = toNumber(record.location?.longitude);
  const photos = [...residence.querySelectorAll('[itemprop="photo"] [itemprop="contentUrl"]')].map(
    (el) => el.getAttribute("content") ?? el.getAttribute("src") ?? undefined,
  );
  const images = (
    photos.length > 0
      ? photos
      : [...doc.querySelectorAll('meta[property="og:image"]')].map((el) => el.getAttribute("content") ?? undefined)
  )
    .map((src) => photoUrl(src))
    .filter((u): u is string => !!u);
  const features = [...doc.querySelectorAll(".key-features li")]
    .map((li) => li.textContent?.replace(/\s+/g, " ").trim())
    .filter((f): f is string => !!f);
  const sqft = toNumber(info.maxSizeFt ?? info.minSizeFt);
  const id = String(record.propertyId);
  return compact({
    source: SOURCE,
    source_listing_id: id,
    source_url: canonicalUrl(rightmove, `/properties/${id}`),
    property_type: mapPropertyType(info.propertySubType ?? info.propertyType),
    property_subtype: info.propertySubType ?? info.propertyType,
    listing_type: rent ? "rent" : "sale",
    // Sold subject to contract, or let agreed: under offer, not yet sold or let.
    status: info.soldSTC === true || info.letAgreed === true ? "pending" : "active",
    title: title ? title.slice(0, 200) : null,
    description: htmlToText(residence.querySelector('[itemprop="description"]')?.innerHTML),
    price: shared ? null : price,
    price_qualifier: shared ? null : qualifier,
    currency: info.currency ?? "GBP",
    bedrooms: info.beds ?? null,
    bathrooms: null,
    area_living_sqm: positiveArea(sqft, SQFT_TO_SQM),
    address: compact({
      street: addr.street,
      unit: addr.unit,
      city: addr.city,
      postal_code: addr.postal_code,
      country: record.location?.country ?? "GB",
    }),
    location: lat !== null && lng !== null ? { lat, lng } : null,
    listed_at: parseIsoLikeDate(info.added) ?? parseDayMonthYear(textOf(doc, "#firstListedDateValue")),
    images,
    features,
    attributes: compact({
      display_price: amountText || null,
      locality: addr.locality,
      building: addr.building,
      county: addr.county,
      shared_ownership: shared ? true : null,
      share_price: shared ? price : null,
      auction: info.auctionOnly === true ? true : null,
      tenure: textOf(doc, "#tenureType"),
      furnish_type: info.furnishedType,
      let_type: info.lettingType,
      agent:
        [branch?.brandName ?? branch?.companyName, branch?.branchName]
          .map((name) => name?.trim())
          .filter(Boolean)
          .join(", ") || null,
      ...priceAttributes,
    }),
  }) as IngestItem;
}

export const rightmove: Connector = {
  name: "rightmove-co-uk",
  domains: ["rightmove.co.uk"],
  country: "GB",
  description:
    "rightmove.co.uk search results (__NEXT_DATA__ of 2025, jsonModel before) and listing pages (PAGE_MODEL; the 2018 pages' DataLayer record and microdata)",
  defaultBaseUrl: "https://www.rightmove.co.uk",
  exampleLocation: "property-to-rent/London-87490",
  healthFixture: "connectors/sites/fixtures/rightmove-co-uk/search-2025-w10-sale.html",

  async searchPage(ctx: ConnectorContext, location: string, page: number): Promise<SearchPage> {
    const path = location.includes("/") ? location : `property-for-sale/${location}`;
    const url = siteUrl(ctx, `${path.replace(/\.html$/, "")}.html?index=${(page - 1) * PAGE_SIZE}`);
    const res = await ctx.fetcher.get(url);
    const model = rightmoveSearchModel(res.text);
    if (!model?.properties) {
      const notFound = rightmoveNotFoundPage(res.text);
      throw notFound ? notFoundPage(res.url, notFound) : layoutChanged(res.url, RIGHTMOVE_SEARCH_MARKER);
    }
    const listings: SearchPage["listings"] = [];
    const errors: CrawlError[] = [];
    // A featured card can appear twice on one page (at the top and in its place): one listing, one item.
    const seen = new Set<string>();
    for (const card of model.properties) {
      if (card?.id != null && seen.has(String(card.id))) continue;
      if (card?.id != null) seen.add(String(card.id));
      try {
        listings.push({ url: siteUrl(ctx, `properties/${card.id}`), item: rightmoveCardToItem(card) });
      } catch (err) {
        errors.push(new CrawlError("parse", `${res.url}#${card?.id}`, (err as Error).message));
      }
    }
    const total = Number(model.pagination?.total ?? model.pagination?.options?.length ?? 1);
    // The page's own count says whether an empty page is a search that found nothing.
    const noResults =
      model.properties.length === 0 && toNumber(model.resultCount) === 0
        ? "the search found no properties (resultCount 0)"
        : undefined;
    return { listings, hasMore: model.pagination?.next != null && page < total, errors, ...(noResults ? { noResults } : {}) };
  },

  async scrape(ctx, url) {
    const res = await ctx.fetcher.get(url);
    const model = assignedJson<{ propertyData?: RmPropertyData }>(res.text, "window.PAGE_MODEL");
    if (model?.propertyData?.id) return rightmovePageModelToItem(model.propertyData);
    const older = rightmove2018Listing(res.text);
    if (older) return older;
    const notFound = rightmoveNotFoundPage(res.text);
    if (notFound) throw notFoundPage(res.url, notFound);
    throw layoutChanged(res.url, RIGHTMOVE_LISTING_MARKER);
  },

  enrich(ctx, request) {
    return enrichByRescrape(rightmove, ctx, request);
  },
};
