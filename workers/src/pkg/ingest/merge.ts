/**
 * Field-by-field merge of a listing into a property (docs/ingest.md, "Merge rules"):
 * - `id` and `created_at` never change; `status` takes the incoming value when the source gives one;
 * - a non-empty value is never overwritten by an empty one (nor a specific type by `other`);
 * - coordinates are only replaced by ones at least as exact (see `precision.ts`);
 * - images and features are unioned, attributes merged key by key;
 * - the address line is rebuilt from the merged parts;
 * and the history rows the change implies (listed, price_change, status_change, relisted, withdrawn).
 */
import type { Listing } from "../../../../connectors/contract/ingest/listing";
import { MEASURES, type Measures, measuresOf } from "../../../../connectors/contract/ingest/measures";
import { formatFull } from "../../../../connectors/contract/ingest/normalise/address";
import { toMajorUnits } from "../../../../connectors/contract/ingest/normalise/money";
import type { Status } from "../../../../connectors/contract/ingest/normalise/vocab";
import { replacesLocation } from "../../../../connectors/contract/ingest/precision";
import { INGEST_COLUMNS } from "./columns";
import { assessQuality } from "./quality";
import type { PropertyEvent, PropertyRecord } from "./record";
import { deriveStatus, isOnMarket, type SourceReport } from "./status";

const OFF_MARKET: ReadonlySet<Status> = new Set(["sold", "leased", "withdrawn", "off_market"]);

export type MergeResult = {
  record: PropertyRecord;
  events: PropertyEvent[];
  /** Image URLs not stored for this property yet, with their positions. */
  newImages: Array<{ url: string; position: number }>;
  /** Whether any stored value of the property differs from before. */
  changed: boolean;
};

function pick<T>(incoming: T | null | undefined, existing: T | null): T | null {
  return incoming === null || incoming === undefined || incoming === "" ? existing : incoming;
}

function union(existing: string[], incoming: string[]): string[] {
  const seen = new Set(existing);
  return [...existing, ...incoming.filter((v) => !seen.has(v) && seen.add(v))];
}

function withQuality(record: PropertyRecord, listing: Listing): PropertyRecord {
  const { score, missing } = assessQuality(record, listing.warnings);
  return { ...record, qualityScore: score, missingFields: missing };
}

function priceMoney(minor: number | null, currency: string) {
  return { price: minor === null ? null : toMajorUnits(minor, currency), currency };
}

function statusEventNew(record: PropertyRecord) {
  if (record.status !== "sold") return { status: record.status };
  return {
    status: record.status,
    sold_price: record.soldPriceMinor === null ? null : toMajorUnits(record.soldPriceMinor, record.currency),
    currency: record.currency,
    sold_at: record.soldAt,
  };
}

/** A property that does not exist yet, from its first listing. */
export function createFromListing(id: string, addressHash: string | null, listing: Listing, now: string): MergeResult {
  const status = listing.status ?? "active";
  const record = withQuality(
    {
      id,
      addressHash,
      primarySource: listing.source,
      qualityScore: 0,
      missingFields: [],
      propertyType: listing.propertyType ?? "other",
      propertySubtype: listing.propertySubtype,
      listingType: listing.listingType ?? "sale",
      status,
      title: listing.title,
      description: listing.description,
      street: listing.street,
      unit: listing.unit,
      city: listing.city,
      state: listing.state,
      postalCode: listing.postalCode,
      country: listing.country,
      addressFull: listing.addressFull,
      location: listing.location,
      locationPrecision: listing.location ? listing.locationPrecision : null,
      ...measuresOf(listing),
      priceMinor: listing.status === "sold" && !listing.soldPriceGiven ? null : listing.priceMinor,
      currency: listing.currency,
      soldPriceMinor: status === "sold" ? listing.soldPriceMinor : null,
      listedAt: listing.listedAt ?? now,
      soldAt: status === "sold" ? (listing.soldAt ?? now) : null,
      thumbnailUrl: listing.images[0] ?? null,
      features: listing.features,
      attributes: listing.attributes,
      images: listing.images,
    },
    listing,
  );
  // A sale reported with only `price` (datasets of sales) keeps that price visible as the price.
  if (record.priceMinor === null && status === "sold") record.priceMinor = record.soldPriceMinor;
  const events: PropertyEvent[] = [
    {
      propertyId: id,
      type: "listed",
      old: null,
      new: { ...statusEventNew(record), ...priceMoney(record.priceMinor, record.currency) },
      source: listing.source,
      // A first report that is a sale (a dataset of sales) happened on its sale date.
      occurredAt: (status === "sold" ? record.soldAt : null) ?? record.listedAt,
    },
  ];
  return { record, events, newImages: listing.images.map((url, position) => ({ url, position })), changed: true };
}

function sameNumber(a: number | null, b: number | null): boolean {
  // real columns round-trip through float4
  return a === b || (a !== null && b !== null && Math.fround(a) === Math.fround(b));
}

function sameInstant(a: string | null, b: string | null): boolean {
  return a === b || (a !== null && b !== null && Date.parse(a) === Date.parse(b));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `real` columns (compared as float4, see `sameNumber`) and instants, from the table (columns.ts). */
const REAL_KEYS: readonly string[] = INGEST_COLUMNS.filter((c) => c.recordsetType === "real").map((c) => c.key);
const INSTANT_KEYS: readonly string[] = INGEST_COLUMNS.filter((c) => c.kind === "time").map((c) => c.key);

/** Each measure: the listing's value when it has one, else the stored one. */
function pickMeasures(listing: Measures, existing: Measures): Measures {
  const out = {} as Measures;
  for (const m of MEASURES) out[m.key] = pick(listing[m.key], existing[m.key]);
  return out;
}

function recordsEqual(a: PropertyRecord, b: PropertyRecord): boolean {
  const numeric = REAL_KEYS;
  const instants = INSTANT_KEYS;
  for (const key of Object.keys(a) as Array<keyof PropertyRecord>) {
    if (numeric.includes(key)) {
      if (!sameNumber(a[key] as number | null, b[key] as number | null)) return false;
    } else if (instants.includes(key)) {
      if (!sameInstant(a[key] as string | null, b[key] as string | null)) return false;
    } else if (key === "attributes") {
      if (!sameJson(sortKeys(a.attributes), sortKeys(b.attributes))) return false;
    } else if (!sameJson(a[key], b[key])) return false;
  }
  return true;
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/** Merges a listing into an existing property. */
export function mergeListing(
  existing: PropertyRecord,
  addressHash: string | null,
  listing: Listing,
  now: string,
  reports: SourceReport[] = [],
): MergeResult {
  // The status this source reports, and the status all sources' latest reports give (status.ts).
  const reported = listing.status ?? existing.status;
  const others = reports.filter((r) => !(r.source === listing.source && r.listingId === listing.sourceListingId));
  const status =
    others.length === 0
      ? reported
      : (deriveStatus([
          ...others,
          {
            source: listing.source,
            listingId: listing.sourceListingId,
            status: reported,
            priceMinor: listing.priceMinor,
            currency: listing.currency,
            soldAt: listing.soldAt,
            seenAt: now,
          },
        ]) ?? reported);
  const relisted = OFF_MARKET.has(existing.status) && !OFF_MARKET.has(status);

  // `price` on a sale report without `sold_price` is the sale price, not a new asking price; and the price of
  // a report that takes the listing off the market does not replace the price of one other sources still list.
  const incomingAsking =
    (listing.status === "sold" && !listing.soldPriceGiven) || (isOnMarket(status) && !isOnMarket(reported))
      ? null
      : listing.priceMinor;
  const priceMinor = pick(incomingAsking, existing.priceMinor);
  const currency = incomingAsking !== null ? listing.currency : existing.currency;

  const takeLocation =
    listing.location !== null &&
    replacesLocation(listing.locationPrecision, existing.locationPrecision, existing.location !== null);
  const attributes = { ...existing.attributes };
  for (const [k, v] of Object.entries(listing.attributes)) if (v !== null && v !== undefined && v !== "") attributes[k] = v;
  const images = union(existing.images, listing.images);

  const merged: PropertyRecord = {
    ...existing,
    addressHash: existing.addressHash ?? addressHash,
    propertyType:
      listing.propertyType && !(listing.propertyType === "other" && existing.propertyType !== "other")
        ? listing.propertyType
        : existing.propertyType,
    propertySubtype: pick(listing.propertySubtype, existing.propertySubtype),
    listingType: listing.listingType ?? existing.listingType,
    status,
    title: pick(listing.title, existing.title),
    description: pick(listing.description, existing.description),
    street: pick(listing.street, existing.street),
    unit: pick(listing.unit, existing.unit),
    city: pick(listing.city, existing.city),
    state: pick(listing.state, existing.state),
    postalCode: pick(listing.postalCode, existing.postalCode),
    location: takeLocation ? listing.location : existing.location,
    locationPrecision: takeLocation ? listing.locationPrecision : existing.locationPrecision,
    ...pickMeasures(listing, existing),
    priceMinor,
    currency,
    // a new sale never inherits the price of an earlier one
    soldPriceMinor:
      status === "sold"
        ? (listing.soldPriceMinor ?? (existing.status === "sold" ? existing.soldPriceMinor : null) ?? priceMinor)
        : existing.soldPriceMinor,
    soldAt:
      status === "sold" ? (listing.soldAt ?? (existing.status === "sold" ? existing.soldAt : null) ?? now) : existing.soldAt,
    listedAt: relisted
      ? (listing.listedAt ?? now)
      : listing.listedAt && Date.parse(listing.listedAt) < Date.parse(existing.listedAt)
        ? listing.listedAt
        : existing.listedAt,
    thumbnailUrl: existing.thumbnailUrl ?? images[0] ?? null,
    features: union(existing.features, listing.features),
    attributes,
    images,
  };
  merged.addressFull =
    formatFull({
      street: merged.street,
      unit: merged.unit,
      building: typeof attributes.building_name === "string" ? attributes.building_name : null,
      city: merged.city,
      state: merged.state,
      postalCode: merged.postalCode,
      country: merged.country,
    }) ?? existing.addressFull;
  const record = withQuality(merged, listing);

  const events: PropertyEvent[] = [];
  const base = { propertyId: existing.id, source: listing.source };
  // The date the source gives for what it reports: its sale date for a sale, else the time of this write.
  const saleDate = record.status === "sold" && listing.soldAt ? listing.soldAt : null;
  // Another sale of a property sold before (a repeat sale in a dataset of sales) is one `sold` event on its
  // date, which carries its price: not a price change besides.
  const resold = existing.status === "sold" && record.status === "sold" && !sameInstant(existing.soldAt, record.soldAt);
  if (
    !resold &&
    existing.priceMinor !== null &&
    record.priceMinor !== null &&
    (existing.priceMinor !== record.priceMinor || existing.currency !== record.currency)
  ) {
    events.push({
      ...base,
      type: "price_change",
      old: priceMoney(existing.priceMinor, existing.currency),
      new: priceMoney(record.priceMinor, record.currency),
      occurredAt: saleDate ?? now,
    });
  }
  if (existing.status !== record.status) {
    const type = record.status === "withdrawn" ? "withdrawn" : relisted ? "relisted" : "status_change";
    const occurredAt = relisted ? record.listedAt : record.status === "sold" ? (record.soldAt ?? now) : now;
    events.push({ ...base, type, old: { status: existing.status }, new: statusEventNew(record), occurredAt });
  } else if (resold) {
    events.push({
      ...base,
      type: "sold",
      old: { ...statusEventNew(existing), ...priceMoney(existing.priceMinor, existing.currency) },
      new: { ...statusEventNew(record), ...priceMoney(record.priceMinor, record.currency) },
      occurredAt: record.soldAt ?? now,
    });
  }

  const stored = new Set(existing.images);
  const newImages = images.filter((url) => !stored.has(url)).map((url, i) => ({ url, position: existing.images.length + i }));
  return { record, events, newImages, changed: !recordsEqual(existing, record) };
}
