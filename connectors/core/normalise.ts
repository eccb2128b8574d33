/** Small, pure parsers shared by connectors and dataset importers: prices, dates, units, types. */

import { toPropertyType } from "../contract/ingest/normalise/vocab";
import type { PropertyType } from "../contract/item";
import { listingPrice, type PriceQualifier, type RentPeriod } from "../contract/money";

export const SQFT_TO_SQM = 0.09290304;
export const ACRE_TO_SQM = 4046.8564224;

/**
 * Prices are read by the one price reader the Mill uses too (contract/money): locale-aware
 * numbers, qualifiers ("Offers over", "Auction", "POA"), rent periods, and no price from times, dates
 * or phone numbers.
 */
export { listingPrice, type RentPeriod, readPrice, toRentPeriod } from "../contract/money";

/**
 * An item's price fields from a source's price (number or text): `price` (a rent per month),
 * `price_qualifier`, and the attributes that keep what the source quoted (`source_price`, `price_max`).
 * `period` is the source's structured period; `defaultPeriod` the site's convention when it says none
 * (Australian and New Zealand rents are quoted per week).
 */
export function priceFields(
  value: number | string | null | undefined,
  options: { rent: boolean; period?: RentPeriod | null; defaultPeriod?: RentPeriod },
): { price: number | null; price_qualifier: PriceQualifier | null; attributes: Record<string, unknown> } {
  const reading = listingPrice(value, {
    rent: options.rent,
    period: options.period ?? (options.rent ? (options.defaultPeriod ?? null) : null),
  });
  const attributes: Record<string, unknown> = {};
  if (reading.source) attributes.source_price = reading.source;
  if (reading.priceMax !== null) attributes.price_max = reading.priceMax;
  return { price: reading.price, price_qualifier: reading.qualifier, attributes };
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

function iso(y: number, m: number, d: number): string | null {
  if (!(y > 1800 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return date.toISOString();
}

/** "16 Jan 2026" or "Sold by private treaty 03 Dec 2025" → ISO timestamp (UTC midnight). */
export function parseDayMonthYear(text: string | null | undefined): string | null {
  const m = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})/.exec(text ?? "");
  if (!m) return null;
  const month = MONTHS[(m[2] as string).toLowerCase()];
  return month ? iso(Number(m[3]), month, Number(m[1])) : null;
}

/** "2013-05-20T00:00:00", "2014-10-13", "20141013T000000" → ISO timestamp (UTC). */
export function parseIsoLikeDate(text: string | null | undefined): string | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec((text ?? "").trim());
  return m ? iso(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/** "1/05/2016" (d/mm/yyyy) or "01/04/2024" (dd/mm/yyyy) → ISO timestamp. */
export function parseDmy(text: string | null | undefined): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec((text ?? "").trim());
  return m ? iso(Number(m[3]), Number(m[2]), Number(m[1])) : null;
}

/** A number from a loosely formatted string ("3,037.93", "1.0", "") or null. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(String(value).replace(/,/g, "").trim());
  return Number.isFinite(n) ? n : null;
}

export function toInt(value: unknown): number | null {
  const n = toNumber(value);
  return n === null ? null : Math.round(n);
}

/** Positive area or null (sources use 0 for "unknown"). */
export function positiveArea(value: number | null, factor = 1): number | null {
  if (value === null || !(value > 0)) return null;
  return Math.round(value * factor * 10) / 10;
}

/** Source type words or text → the Mill's property types (the one mapping, `toPropertyType`); "other" when unknown. */
export function mapPropertyType(text: string | null | undefined): PropertyType {
  return (text ? toPropertyType(text) : undefined) ?? "other";
}

/** Title-cases upper-case source text ("BURLEIGH HEADS" → "Burleigh Heads"); leaves mixed case alone. */
export function tidyCase(text: string | null | undefined): string | null {
  if (!text) return null;
  const s = text.trim();
  if (s !== s.toUpperCase() && s !== s.toLowerCase()) return s;
  return s.toLowerCase().replace(/(^|[\s\-'/(])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
}

/** Splits an Australian-style "1003/472 Pacific Highway" into unit and street. */
export function splitUnit(street: string | null | undefined): { unit: string | null; street: string | null } {
  if (!street) return { unit: null, street: null };
  const m = /^\s*([A-Za-z]?\d+[A-Za-z]?)\s*\/\s*(.+)$/.exec(street);
  return m ? { unit: m[1] as string, street: (m[2] as string).trim() } : { unit: null, street: street.trim() };
}

/** A UK postcode or outcode ("EC1Y 0SR", "N19", "E3"). */
export const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?(\s*\d[A-Z]{2})?$/i;

/** Strips HTML tags and collapses whitespace (descriptions arrive as HTML fragments). */
export function htmlToText(html: string | null | undefined): string | null {
  if (!html) return null;
  const text = html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/[ \t]+/g, " ")
    .replace(/\n\s*\n+/g, "\n")
    .trim();
  return text || null;
}
