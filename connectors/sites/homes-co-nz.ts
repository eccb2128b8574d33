/**
 * homes.co.nz (NZ). The site's map/search API answers JSON
 * records; their real shape (field names and value formats) is known from the Wellington snapshots in
 * the shared datasets (2020–2023), so one mapper serves both this connector and the dataset importer.
 *
 * No response or page of the current site is among the saved captures. What public clients of the site
 * (2025–2026) read from it, and what this connector therefore accepts:
 * - the gateway API answers `{ cards: [ { id, url, state, …, property_details: { address, num_bedrooms, … } } ] }`
 *   (`/map/cards`, `/properties?property_ids=`); the card's own fields and its `property_details` are
 *   one record (the 2023 snapshot is exactly that, flattened);
 * - property pages (`/address/<city>/<suburb>/<street>/<id>`) are Angular SSR pages whose state is the
 *   JSON of `<script id="homes-app-state" type="application/json">`, where a `card` with
 *   `property_details` sits under a generated key;
 * - older envelopes: a bare array, or `cards` / `items` / `results` / `properties`, each entry a record
 *   or `{ property: record }`.
 * The search endpoint path is a setting (`searchPath`, with `{location}` and `{page}`).
 *
 * Location = a suburb/city path as on the site: "wellington/churton-park".
 */
import type { Connector, ConnectorContext, SearchPage } from "../contract/connector";
import { enrichByRescrape, fetchUrlFor, siteUrl } from "../contract/connector";
import { CrawlError, layoutChanged, parseError } from "../contract/errors";
import { compact, type IngestItem, type ListingStatus } from "../contract/item";
import { parseEmbeddedJson, scriptBlocks } from "../core/extract/scripts";
import { mapPropertyType, parseIsoLikeDate, positiveArea, priceFields, tidyCase, toInt, toNumber } from "../core/normalise";

const SOURCE = "homes.co.nz";
const DEFAULT_SEARCH_PATH = "api/search?location={location}&page={page}";

export type HomesRecord = Record<string, string | number | boolean | null | undefined>;

const str = (v: unknown): string | null => (v === null || v === undefined || v === "" ? null : String(v).trim() || null);

/** homes.co.nz `state`: 1 = for sale, 2 = recently sold, 3 = for rent (as the listings/cards use it). */
function stateOf(record: HomesRecord): { status: ListingStatus; listing_type: "sale" | "rent" } {
  const s = str(record.state);
  if (s === "2") return { status: "sold", listing_type: "sale" };
  if (s === "3") return { status: "active", listing_type: "rent" };
  if (s === "1") return { status: "active", listing_type: "sale" };
  return { status: "off_market", listing_type: "sale" };
}

/** "4 Halswater Drive, Churton Park, Wellington" → street, suburb, city. */
function splitNzAddress(full: string | null) {
  const parts = (full ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  return { street: parts[0] ?? null, suburb: parts.length > 2 ? (parts[1] ?? null) : null, city: parts.at(-1) ?? null };
}

/** `land_use` when present, else the rating category code (RD… dwelling, RF… flat). */
function homesPropertyType(record: HomesRecord) {
  const landUse = str(record.land_use);
  if (landUse) return mapPropertyType(landUse);
  const category = str(record.category_code) ?? "";
  if (category.startsWith("RD")) return "house";
  if (category.startsWith("RF")) return "apartment";
  return "other";
}

export type HomesMapOptions = { source?: string; sourceUrlBase?: string; listedAt?: string | null };

/** One homes.co.nz record (any snapshot year's field set) → item; null when it has no usable id/address. */
export function homesRecordToItem(record: HomesRecord, options: HomesMapOptions = {}): IngestItem | null {
  const id = str(record.property_id) ?? str(record.id) ?? str(record.item_id);
  const displayAddress = str(record.display_address) ?? str(record.address);
  const split = splitNzAddress(displayAddress);
  const structuredStreet = str(record.street)
    ? `${[str(record.street_number), str(record.street_alpha)].filter(Boolean).join("")} ${tidyCase(str(record.street))}`
    : null;
  const suburb = tidyCase(str(record.suburb) ?? str(record.suburb_name)) ?? split.suburb;
  const city = tidyCase(str(record.city_name) ?? (str(record.suburb) ? str(record.city) : null)) ?? split.city;
  const lat = toNumber(record.lat);
  const lng = toNumber(record.long ?? record.lng);
  // The 2022 snapshot has no street address at all: suburb, city and coordinates still place it.
  if (!id && !displayAddress) return null;
  if (!displayAddress && !city && !suburb && (lat === null || lng === null)) return null;
  const kind = stateOf(record);
  // New Zealand rents are quoted per week.
  const {
    price,
    price_qualifier,
    attributes: priceAttributes,
  } = priceFields(str(record.price), {
    rent: kind.listing_type === "rent",
    defaultPeriod: "week",
  });
  const base = options.sourceUrlBase ?? "https://homes.co.nz";
  // Cards give the page path below /address/ ("/wellington/churton-park/4-halswater-drive/84nzg"); the
  // property page itself is https://homes.co.nz/address/wellington/churton-park/4-halswater-drive/84nzg.
  const rawPath = str(record.url);
  const path =
    rawPath && /^\/?[^/:]+\/[^/]+\/[^/]+\/[^/]+\/?$/.test(rawPath) && !/^\/?address\//.test(rawPath)
      ? `/address/${rawPath.replace(/^\//, "")}`
      : rawPath;
  const decade = toInt(record.decade_built);
  const cover = str(record.cover_image_url);
  const images = [cover, ...String(record.image_urls ?? "").split(/[,\s]+/)].filter(
    (u): u is string => !!u && /^https?:\/\//.test(u),
  );
  const floor = toNumber(record.floor_area) ?? toNumber(record.mass_total_living_area);
  return compact({
    source: options.source ?? SOURCE,
    source_listing_id: id ?? (displayAddress as string),
    source_url: path ? new URL(path, base).href : `${base}/address/${encodeURIComponent(id ?? (displayAddress as string))}`,
    property_type: homesPropertyType(record),
    ...kind,
    title: displayAddress ?? ([suburb, city].filter(Boolean).join(", ") || null),
    description: str(record.headline),
    price,
    price_qualifier,
    sold_price: kind.status === "sold" ? price : null,
    currency: "NZD",
    bedrooms: toInt(record.num_bedrooms) || toInt(record.latest_bedrooms) || toInt(record.bed_estimate) || null,
    bathrooms: toNumber(record.num_bathrooms) || toNumber(record.latest_bathrooms) || toNumber(record.bath_estimate) || null,
    parking_spaces: toInt(record.num_car_spaces) ?? toInt(record.latest_car_spaces),
    area_living_sqm: positiveArea(floor),
    area_land_sqm: positiveArea(toNumber(record.land_area)),
    year_built: decade && decade > 1800 ? decade : null,
    address: compact({
      street: structuredStreet?.trim() || (displayAddress && displayAddress !== city ? split.street : null),
      unit: str(record.unit_identifier),
      city: city ?? suburb,
      country: "NZ",
    }),
    location: lat !== null && lng !== null ? { lat, lng } : null,
    listed_at: options.listedAt ?? null,
    images,
    attributes: compact({
      display_price: typeof record.price === "string" && !/^\d+$/.test(record.price) ? record.price : null,
      suburb,
      capital_value: toNumber(record.capital_value_digit) ?? toNumber(record.capital_value),
      land_value: toNumber(record.land_value_digit) ?? toNumber(record.land_value),
      improvement_value: toNumber(record.improvement_value_digit) ?? toNumber(record.improvement_value),
      valuation_date: parseIsoLikeDate(str(record.current_revision_date)),
      estimated_value: toNumber(record.estimated_value),
      legal_description: str(record.legal_description),
      decade_built: decade,
      ...priceAttributes,
    }),
  }) as IngestItem;
}

/** Records from whatever envelope the API answered with. */
export function homesRecords(body: unknown): HomesRecord[] {
  const list = Array.isArray(body)
    ? body
    : ((body as Record<string, unknown>)?.cards ??
      (body as Record<string, unknown>)?.items ??
      (body as Record<string, unknown>)?.results ??
      (body as Record<string, unknown>)?.properties);
  if (!Array.isArray(list)) return [];
  return list.map(cardRecord);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** A card (`{ …card fields, property_details }`, or `{ property }`) as one flat record; a record as itself. */
function cardRecord(entry: unknown): HomesRecord {
  if (!isObject(entry)) return {};
  const nested = entry.property_details ?? entry.property;
  if (!isObject(nested)) return entry as HomesRecord;
  const { property_details: _details, property: _property, ...card } = entry;
  return { ...(card as HomesRecord), ...(nested as HomesRecord) };
}

/**
 * The cards in a property page's `homes-app-state` (found by the HTML parser, whatever the quoting):
 * every object holding `property_details`, at any depth (the state is keyed by generated ids).
 * Null when the page has no such state; `EmbeddedJsonError` when it is not JSON.
 */
export function homesAppStateRecords(html: string): HomesRecord[] | null {
  const block = scriptBlocks(html).find((b) => b.attributes.id === "homes-app-state");
  if (!block) return null;
  const state = parseEmbeddedJson(block.text.trim(), "homes-app-state", html);
  const out: HomesRecord[] = [];
  const visit = (v: unknown, depth: number) => {
    if (depth > 12) return;
    if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (isObject(v)) {
      if (isObject(v.property_details)) out.push(cardRecord(v));
      else for (const x of Object.values(v)) visit(x, depth + 1);
    }
  };
  visit(state, 0);
  return out;
}

export const homesCoNz: Connector = {
  name: "homes-co-nz",
  domains: ["homes.co.nz"],
  country: "NZ",
  description: "homes.co.nz gateway API cards and property pages (homes-app-state), record fields as in the Wellington snapshots",
  defaultBaseUrl: "https://homes.co.nz",
  exampleLocation: "wellington/churton-park",

  async searchPage(ctx: ConnectorContext, location: string, page: number): Promise<SearchPage> {
    const template = String(ctx.settings?.searchPath ?? DEFAULT_SEARCH_PATH);
    const url = siteUrl(ctx, template.replace("{location}", encodeURIComponent(location)).replace("{page}", String(page)));
    const body = await ctx.fetcher.getJson(url);
    const records = homesRecords(body);
    if (!Array.isArray(body) && records.length === 0 && !(body as { cards?: unknown })?.cards) {
      throw layoutChanged(url, "listing records (a bare array or {cards|items|results|properties})");
    }
    const listings: SearchPage["listings"] = [];
    const errors: CrawlError[] = [];
    for (const record of records) {
      const item = homesRecordToItem(record);
      if (item) listings.push({ url: fetchUrlFor(homesCoNz, ctx, item.source_url), item });
      else errors.push(new CrawlError("parse", `${url}#${str(record.id) ?? "?"}`, "record without address"));
    }
    return { listings, hasMore: records.length > 0, errors };
  },

  /** A property page (HTML with `homes-app-state`) or an API answer (JSON) for one property. */
  async scrape(ctx, url) {
    const res = await ctx.fetcher.get(url);
    const text = res.text.trimStart();
    let record: HomesRecord | undefined;
    if (text.startsWith("{") || text.startsWith("[")) {
      const body = parseEmbeddedJson<unknown>(text, "homes.co.nz API answer");
      record = homesRecords(body)[0] ?? (isObject(body) ? cardRecord(body) : undefined);
    } else {
      const records = homesAppStateRecords(res.text);
      if (records === null || records.length === 0)
        throw layoutChanged(res.url, "homes-app-state card with property_details (property page)");
      record = records[0];
    }
    const item = record ? homesRecordToItem(record) : null;
    if (!item) throw parseError(url, "no listing record at this URL");
    return item;
  },

  enrich(ctx, request) {
    return enrichByRescrape(homesCoNz, ctx, request);
  },
};
