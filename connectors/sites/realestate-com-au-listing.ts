/**
 * realestate.com.au listing (detail) pages of 2025–2026. Their `window.ArgonautExchange` holds no
 * listing any more (`{"resi-property_listing-experience-web":{}}`): what the page states about the home
 * is in schema.org JSON-LD (a `Residence` with its `PostalAddress`, an inspection `Event` naming the
 * agency, a `BreadcrumbList` of channel › state › suburb › type › listing) and in the summary's ARIA
 * labels ("House with 609m² land size with 3 bedrooms 1 bathroom 2 car spaces"), with the display price
 * in the property-info block. The fixtures and where they come from: `fixtures/realestate-com-au/README.md`.
 *
 * Reading is in two steps, so the same mapping serves a saved HTML page and the same signals collected
 * from a live page by other tools: `reaListingSignals(html)` gathers the signals from the HTML, and
 * `reaListingFromSignals(signals)` finds each field by its schema.org type or its label, never by the
 * hashed CSS class names the site regenerates.
 */
import { canonicalUrl } from "../contract/connector";
import { compact, type IngestItem, type ListingStatus } from "../contract/item";
import { parseDocument } from "../core/extract/html";
import { isType, type JsonLdNode, jsonLdNodes, RESIDENCE_TYPES } from "../core/extract/jsonld";
import { htmlToText, mapPropertyType, parseDayMonthYear, positiveArea, priceFields, splitUnit } from "../core/normalise";

const SOURCE = "realestate.com.au";
const BASE = "https://www.realestate.com.au";

/** What a listing page states, as found in its markup (or collected from a live page by a browser). */
export type ReaListingSignals = {
  /** Every JSON-LD node of the page (arrays and `@graph` flattened). */
  jsonLd: JsonLdNode[];
  /** Every `aria-label` on the page, in document order. */
  ariaLabels: string[];
  title?: string | null;
  ogTitle?: string | null;
  ogDescription?: string | null;
  ogImage?: string | null;
  canonical?: string | null;
  /** The page's main heading (the address line). */
  heading?: string | null;
  /** The display price where the page marks it (`.property-price`). */
  priceText?: string | null;
  /** "Indicative price: $1,250,000 - $1,350,000" next to an auction's display price. */
  indicativePrice?: string | null;
  /** The page's visible text (scripts and styles left out), for what only the text says. */
  bodyText?: string | null;
};

function attr(doc: ReturnType<typeof parseDocument>, selector: string, name: string): string | null {
  return doc.querySelector(selector)?.getAttribute(name)?.trim() || null;
}

function textIn(el: { textContent: string | null } | null | undefined): string | null {
  const t = el?.textContent?.replace(/\s+/g, " ").trim();
  return t ? t : null;
}

/** The signals of a saved or fetched listing page. */
export function reaListingSignals(html: string): ReaListingSignals {
  const doc = parseDocument(html);
  const ariaLabels = [...doc.querySelectorAll("[aria-label]")]
    .map((el) => el.getAttribute("aria-label")?.trim() ?? "")
    .filter(Boolean);
  const jsonLd = jsonLdNodes(html);
  // The price element keeps a stable BEM class beside the generated ones ("property-price property-info__price").
  const price = doc.querySelector(".property-price, [class*='property-info__price']");
  // The innermost element that starts with the label: its containers run on into the next block.
  const indicative = [...doc.querySelectorAll("p, div, span")]
    .filter((el) => /^\s*indicative price\s*:/i.test(el.textContent ?? ""))
    .sort((a, b) => (a.textContent ?? "").length - (b.textContent ?? "").length)[0];
  for (const el of doc.querySelectorAll("script, style, noscript, template")) el.remove();
  // Block elements end a line, as a browser's innerText does, so labels and values stay apart.
  for (const el of doc.querySelectorAll("p, div, li, h1, h2, h3, h4, span, br, dd, dt")) el.after("\n");
  return {
    jsonLd,
    ariaLabels,
    title: textIn(doc.querySelector("title")),
    ogTitle: attr(doc, "meta[property='og:title']", "content"),
    ogDescription: attr(doc, "meta[property='og:description']", "content") ?? attr(doc, "meta[name='description']", "content"),
    ogImage: attr(doc, "meta[property='og:image']", "content"),
    canonical: attr(doc, "link[rel='canonical']", "href") ?? attr(doc, "meta[property='og:url']", "content"),
    heading: textIn(doc.querySelector("h1")),
    priceText: textIn(price),
    indicativePrice: textIn(indicative)?.replace(/^indicative price\s*:\s*/i, "") ?? null,
    bodyText: doc.body?.textContent ?? null,
  };
}

type Features = {
  type: string | null;
  bedrooms: number | null;
  bathrooms: number | null;
  parking: number | null;
  land: number | null;
  building: number | null;
};

const AREA_UNIT = "(m²|m2|sqm|square met(?:re|er)s?|ha|hectares?|acres?)";
const FEATURE_PATTERNS = {
  bedrooms: /(\d+)\s*(?:bedrooms?|beds?)\b/i,
  bathrooms: /(\d+(?:\.\d+)?)\s*(?:bathrooms?|baths?)\b/i,
  parking: /(\d+)\s*(?:car ?spaces?|parking spaces?|garage spaces?|carports?)\b/i,
  land: new RegExp(String.raw`([\d.,]+)\s*${AREA_UNIT}\s*land(?:\s+(?:size|area))?`, "i"),
  building: new RegExp(String.raw`([\d.,]+)\s*${AREA_UNIT}\s*(?:building|floor|internal)(?:\s+(?:size|area))?`, "i"),
};

function areaSqm(value: string | undefined, unit: string | undefined): number | null {
  const n = Number((value ?? "").replace(/,/g, ""));
  if (!Number.isFinite(n)) return null;
  const u = (unit ?? "").toLowerCase();
  if (/^ha|hectare/.test(u)) return positiveArea(n, 10_000);
  if (/acre/.test(u)) return positiveArea(n, 4046.8564224);
  return positiveArea(n);
}

function readFeatures(label: string): Omit<Features, "type"> {
  const num = (re: RegExp) => {
    const m = re.exec(label);
    return m ? Number(m[1]) : null;
  };
  const land = FEATURE_PATTERNS.land.exec(label);
  const building = FEATURE_PATTERNS.building.exec(label);
  return {
    bedrooms: num(FEATURE_PATTERNS.bedrooms),
    bathrooms: num(FEATURE_PATTERNS.bathrooms),
    parking: num(FEATURE_PATTERNS.parking),
    land: land ? areaSqm(land[1], land[2]) : null,
    building: building ? areaSqm(building[1], building[2]) : null,
  };
}

/**
 * The summary's label ("Townhouse with 237m² land size with 4 bedrooms  3 bathrooms 2 car spaces"):
 * a property type, "with", and at least one counted feature. Without one, the page's single-feature
 * labels ("4 bedrooms") are read, the first of each kind (the summary comes before any other card).
 */
export function summaryFeatures(labels: readonly string[]): Features {
  for (const label of labels) {
    const m = /^\s*([A-Za-z][A-Za-z /&-]{0,40}?)\s+with\b/.exec(label);
    if (!m) continue;
    const features = readFeatures(label);
    if (Object.values(features).some((v) => v !== null)) return { type: m[1]?.trim() ?? null, ...features };
  }
  const one = (re: RegExp) => labels.find((l) => new RegExp(`^\\s*${re.source}\\s*$`, "i").test(l));
  const pick = (key: keyof typeof FEATURE_PATTERNS) => one(FEATURE_PATTERNS[key]);
  const joined = [pick("bedrooms"), pick("bathrooms"), pick("parking"), pick("land"), pick("building")]
    .filter(Boolean)
    .join(" ; ");
  return { type: null, ...readFeatures(joined) };
}

const LISTING_PATH = /\/(?:sold\/)?property-[a-z0-9+%-]+-(\d{5,})\/?$/i;

function listingUrl(candidates: Array<string | null | undefined>): { url: string; id: string } | null {
  for (const c of candidates) {
    if (!c) continue;
    try {
      const u = new URL(c, BASE);
      const m = LISTING_PATH.exec(u.pathname);
      if (m?.[1]) return { url: canonicalUrl({ defaultBaseUrl: BASE }, u.pathname), id: m[1] };
    } catch {
      // not a URL: try the next candidate
    }
  }
  return null;
}

function breadcrumb(nodes: JsonLdNode[]): Array<{ name: string; item: string }> {
  const list = nodes.find((n) => isType(n, ["BreadcrumbList"]));
  const elements = Array.isArray(list?.itemListElement) ? (list.itemListElement as JsonLdNode[]) : [];
  return elements
    .map((e) => ({
      position: Number(e.position ?? 0),
      name: typeof e.name === "string" ? e.name : "",
      item:
        typeof e.item === "string"
          ? e.item
          : typeof (e.item as JsonLdNode)?.["@id"] === "string"
            ? String((e.item as JsonLdNode)["@id"])
            : "",
    }))
    .sort((a, b) => a.position - b.position);
}

type Address = {
  street: string | null;
  unit: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
};

function postalAddress(node: unknown): Partial<Address> | null {
  const a = node as Record<string, unknown> | undefined;
  if (!a || typeof a !== "object") return null;
  const s = (k: string) => (typeof a[k] === "string" && (a[k] as string).trim() ? (a[k] as string).trim() : null);
  if (!s("streetAddress") && !s("addressLocality")) return null;
  const { unit, street } = splitUnit(s("streetAddress"));
  return {
    street,
    unit,
    city: s("addressLocality"),
    state: s("addressRegion")?.toUpperCase() ?? null,
    postal_code: s("postalCode"),
  };
}

/** "46 Astoria Drive, Point Cook, Vic 3030" → parts; "Address available on request, Seabrook" → the suburb. */
function addressFromLine(line: string | null | undefined): Partial<Address> | null {
  if (!line) return null;
  const full = /^(.*?),\s*([^,]+?),?\s+([A-Za-z]{2,3})\s+(\d{4})\s*$/.exec(line.trim());
  if (full) {
    const { unit, street } = splitUnit(full[1]);
    const withheld = /address available on request/i.test(full[1] ?? "");
    return {
      street: withheld ? null : street,
      unit: withheld ? null : unit,
      city: full[2]?.trim() ?? null,
      state: full[3]?.toUpperCase() ?? null,
      postal_code: full[4] ?? null,
    };
  }
  const withheld = /^address available on request,\s*([^,]+)$/i.exec(line.trim());
  return withheld ? { city: withheld[1]?.trim() ?? null } : null;
}

/** The suburb link of the breadcrumb (".../buy/in-seabrook,+vic+3028/list-1") → suburb, state, postcode. */
function addressFromSuburbLink(crumbs: Array<{ name: string; item: string }>): Partial<Address> | null {
  for (const c of crumbs) {
    const m = /\/in-([^/,]+),\+([a-z]{2,3})\+(\d{4})(?:\/|$)/i.exec(c.item);
    if (m)
      return {
        city: c.name || decodeURIComponent(m[1] ?? "").replace(/\+/g, " "),
        state: m[2]?.toUpperCase() ?? null,
        postal_code: m[3] ?? null,
      };
  }
  return null;
}

function mergeAddress(...parts: Array<Partial<Address> | null>): Address {
  const out: Address = { street: null, unit: null, city: null, state: null, postal_code: null };
  for (const p of parts) {
    if (!p) continue;
    for (const k of Object.keys(out) as Array<keyof Address>) out[k] ??= p[k] ?? null;
  }
  return out;
}

type Channel = "buy" | "rent" | "sold";

function channelOf(crumbs: Array<{ name: string; item: string }>, title: string | null | undefined, url: string): Channel {
  const first = `${crumbs[0]?.name ?? ""} ${crumbs[0]?.item ?? ""}`.toLowerCase();
  if (/\bsold\b/.test(first) || /\/sold\//.test(url)) return "sold";
  if (/\brent\b/.test(first)) return "rent";
  if (/\bbuy\b/.test(first)) return "buy";
  const t = (title ?? "").toLowerCase();
  if (/\bfor rent\b|\bfor lease\b/.test(t)) return "rent";
  if (/\bsold\b/.test(t)) return "sold";
  return "buy";
}

function kindOf(channel: Channel): { listing_type: "sale" | "rent"; status: ListingStatus } {
  if (channel === "sold") return { listing_type: "sale", status: "sold" };
  if (channel === "rent") return { listing_type: "rent", status: "active" };
  return { listing_type: "sale", status: "active" };
}

const DOLLAR_PRICE =
  /^\s*(?:[A-Za-z][A-Za-z ]{0,30}?[:\-–]?\s*)?\$\s?[\d,.]+\s*[kKmM]?(?:\s*(?:-|–|to)\s*\$?\s?[\d,.]+\s*[kKmM]?)?(?:\s*(?:per week|per month|pw|p\.w\.|pcm|weekly|monthly))?/;

/**
 * The summary block of the page's text: what follows the summary's "• <type>" (how the summary reads:
 * "3 1 2 • House $745,000 - $765,000 Price guide details Under offer"), up to the next blocks.
 */
export function summaryText(text: string | null | undefined, type: string | null): string | null {
  if (!text) return null;
  const escaped = (type ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const at = new RegExp(`•\\s*${escaped || "[A-Za-z][A-Za-z /&-]{0,40}?"}\\s*(?=\\S)`).exec(text);
  return at ? text.slice(at.index + at[0].length, at.index + at[0].length + 200) : null;
}

/**
 * The display price when no element marks it: at the start of the summary block, a "$" amount or else
 * the words of that line ("Contact agent", "Auction").
 */
export function priceFromText(text: string | null | undefined, type: string | null): string | null {
  const rest = summaryText(text, type);
  if (!rest) return null;
  const dollars = DOLLAR_PRICE.exec(rest);
  if (dollars) return dollars[0].trim();
  const line = rest.split("\n")[0]?.trim() ?? "";
  // Words only: a line without separators runs on into the next block, so digits are not read.
  const words = /^[A-Za-z][A-Za-z '&/-]{1,40}/.exec(line)?.[0].trim();
  return words || null;
}

/** "Indicative price: $1,100,000 - $1,200,000" in the summary block (beside "Contact agent" or "Auction"). */
export function indicativeFromText(text: string | null | undefined, type: string | null): string | null {
  const rest = summaryText(text, type);
  const after = rest ? /indicative price\s*:?\s*/i.exec(rest) : null;
  if (!rest || !after) return null;
  return DOLLAR_PRICE.exec(rest.slice(after.index + after[0].length))?.[0].trim() ?? null;
}

/** "Under offer" / "Under contract" badges of the summary block. */
function pendingInText(text: string | null | undefined, type: string | null): boolean {
  return /\bunder (?:offer|contract)\b/i.test(summaryText(text, type) ?? "");
}

function imagesOf(nodes: JsonLdNode[], ogImage: string | null | undefined): string[] {
  const urls: string[] = [];
  if (ogImage) urls.push(ogImage);
  for (const n of nodes) {
    const image = n.image;
    for (const i of Array.isArray(image) ? image : image ? [image] : []) {
      const u = typeof i === "string" ? i : typeof (i as JsonLdNode)?.url === "string" ? String((i as JsonLdNode).url) : null;
      if (u) urls.push(u);
    }
  }
  // The same photo comes in several sizes: one per content hash.
  const seen = new Set<string>();
  return urls.filter((u) => {
    if (!/^https?:\/\//.test(u)) return false;
    const key = /\/([0-9a-f]{40,})\//.exec(u)?.[1] ?? u;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The listing a 2025–2026 listing page describes, or null when the signals name no listing (no
 * listing URL with an id, or neither an address nor a feature summary).
 */
export function reaListingFromSignals(signals: ReaListingSignals, pageUrl?: string): IngestItem | null {
  const nodes = signals.jsonLd;
  const crumbs = breadcrumb(nodes);
  const events = nodes.filter((n) => isType(n, ["Event"]));
  const found = listingUrl([signals.canonical, crumbs.at(-1)?.item, ...events.map((e) => e.url as string), pageUrl]);
  const propertyId = /Property ID:\s*(\d{5,})/i.exec(signals.bodyText ?? "")?.[1];
  if (!found && !propertyId) return null;
  const id = found?.id ?? (propertyId as string);
  const url = found?.url ?? `${BASE}/${id}`;

  const residence = nodes.find((n) => isType(n, RESIDENCE_TYPES) && postalAddress(n.address));
  const eventAddress = events.map((e) => postalAddress((e.location as JsonLdNode | undefined)?.address)).find(Boolean) ?? null;
  const address = mergeAddress(
    postalAddress(residence?.address),
    eventAddress,
    addressFromLine(signals.heading),
    addressFromLine(signals.ogTitle),
    addressFromSuburbLink(crumbs),
  );
  const features = summaryFeatures(signals.ariaLabels);
  if (!address.city && !address.street && Object.values(features).every((v) => v === null)) return null;

  const typeCrumb = crumbs.find((c) => /\/property-[a-z-]+-in-/.test(c.item))?.name;
  const typeFromUrl = /\/property-([a-z]+)-/.exec(url)?.[1];
  const typeLabel = features.type ?? typeCrumb ?? typeFromUrl ?? null;
  const channel = channelOf(crumbs, signals.title, url);
  const kind = kindOf(channel);

  // An auction's display price is a word; its indicative range, when the page gives one, is the price.
  const summaryType = features.type ?? typeCrumb ?? null;
  const display = signals.priceText ?? priceFromText(signals.bodyText, summaryType);
  const indicativeText = signals.indicativePrice ?? indicativeFromText(signals.bodyText, summaryType);
  if (kind.status === "active" && pendingInText(signals.bodyText, summaryType)) kind.status = "pending";
  const quoted = priceFields(display, { rent: kind.listing_type === "rent", defaultPeriod: "week" });
  const indicative =
    quoted.price === null && indicativeText
      ? priceFields(indicativeText, { rent: kind.listing_type === "rent", defaultPeriod: "week" })
      : null;
  const price = indicative?.price ?? quoted.price;
  const soldAt = kind.status === "sold" ? parseDayMonthYear(/sold on\s+([^\n]{6,20})/i.exec(signals.bodyText ?? "")?.[1]) : null;
  const agency = events.map((e) => (e.organizer as JsonLdNode | undefined)?.name).find((n) => typeof n === "string");
  const inspections = events
    .filter((e) => typeof e.startDate === "string" && /inspection/i.test(String(e.name ?? "")))
    .map((e) => compact({ start: e.startDate as string, end: e.endDate as string | undefined }));
  // An auction is a schema.org SaleEvent ("Auction: <address>") with its start.
  const auction = nodes.find((n) => isType(n, ["SaleEvent"]) && typeof n.startDate === "string")?.startDate as string | undefined;
  const title = [address.unit ? `${address.unit}/${address.street}` : address.street, address.city].filter(Boolean).join(", ");

  return compact({
    source: SOURCE,
    source_listing_id: id,
    source_url: url,
    property_type: mapPropertyType(typeLabel),
    property_subtype: typeLabel,
    ...kind,
    title: title || signals.ogTitle || null,
    description: htmlToText(signals.ogDescription),
    price,
    price_qualifier: quoted.price_qualifier ?? indicative?.price_qualifier ?? null,
    sold_price: kind.status === "sold" ? price : null,
    sold_at: soldAt,
    currency: "AUD",
    bedrooms: features.bedrooms,
    bathrooms: features.bathrooms,
    parking_spaces: features.parking,
    area_living_sqm: features.building,
    area_land_sqm: features.land,
    address: compact({ ...address, country: "AU" }),
    images: imagesOf(nodes, signals.ogImage),
    attributes: compact({
      display_price: display,
      indicative_price: indicativeText,
      agency,
      inspections,
      auction_at: auction,
      address_withheld: !address.street ? true : null,
      ...quoted.attributes,
      ...(indicative?.attributes ?? {}),
    }),
  }) as IngestItem;
}

/** A listing page's HTML → its item, or null when the page is not a listing page of this layout. */
export function reaListingPageToItem(html: string, pageUrl?: string): IngestItem | null {
  return reaListingFromSignals(reaListingSignals(html), pageUrl);
}
