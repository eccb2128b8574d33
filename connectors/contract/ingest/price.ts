/**
 * Prices of incoming items, read once before validation (read-item.ts, which every entry point goes through):
 * a rent quoted per week, day or year ("$660 per week", or a number with `price_period`) becomes the
 * data model's per-month amount, with the source's quote kept in `attributes.source_price`; the price's
 * qualifier ("Offers over", "Auction", "POA") becomes `price_qualifier`, and a range's upper bound
 * `attributes.price_max`. The reading is contract/money's, the same the connectors use.
 */
import { listingPrice } from "../money/listing-price";
import { RENT_PERIODS, type RentPeriod } from "../money/read-price";
import { toListingType } from "./normalise/vocab";

type Raw = Record<string, unknown>;

/**
 * An incoming item with its price read, and the currency its price text names itself ("US$ 1,898,000" →
 * USD, "£350k" → GBP; null for a number, a bare "$" or no text): what plausibility takes as the source
 * being consistent about a currency that is not its country's (plausibility.ts). Both come from the one
 * reading of the text.
 */
export type ItemPrice = { item: unknown; priceTextCurrency: string | null };

export function readItemPrice(raw: unknown): ItemPrice {
  const unread: ItemPrice = { item: raw, priceTextCurrency: null };
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return unread;
  const item = raw as Raw;
  const value = item.price;
  if (typeof value !== "string" && typeof value !== "number") return unread;
  const rent = typeof item.listing_type === "string" && toListingType(item.listing_type) === "rent";
  const given = RENT_PERIODS.includes(item.price_period as RentPeriod) ? (item.price_period as RentPeriod) : null;
  if (typeof value === "number" && !(rent && given)) return unread;
  const read = listingPrice(value, { rent, period: given });
  // A number names no currency, so `read.currency` is the text's own or null.
  const priceTextCurrency = read.currency;
  if (read.price === null && read.qualifier === null) return { item: raw, priceTextCurrency }; // the schema reports "not a price"
  const attributes: Raw =
    item.attributes && typeof item.attributes === "object" && !Array.isArray(item.attributes)
      ? { ...(item.attributes as Raw) }
      : {};
  if (read.source) attributes.source_price = read.source;
  if (read.priceMax !== null) attributes.price_max = read.priceMax;
  const { price_period: _period, ...rest } = item;
  return {
    item: {
      ...rest,
      price: read.price,
      ...(item.price_qualifier == null && read.qualifier ? { price_qualifier: read.qualifier } : {}),
      ...(item.currency == null && read.currency ? { currency: read.currency } : {}),
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    },
    priceTextCurrency,
  };
}
