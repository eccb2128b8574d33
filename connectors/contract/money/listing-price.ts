/**
 * A listing's price as the data model defines it (docs/ingest.md): major units, and for a rent the
 * amount per calendar month. The source's own amount and period are kept beside it, so a weekly rent of
 * $660 is stored as 2,860 a month and still shown as "$660 per week" from `attributes.source_price`.
 */
import { type PriceQualifier, type RentPeriod, readPrice } from "./read-price";
import { perMonth } from "./rent-period";

export type SourcePrice = { amount: number; max?: number; period: RentPeriod; text?: string };

export type ListingPrice = {
  /** Major units; per month for a rent. */
  price: number | null;
  /** Upper bound of a range, in the same terms as `price`. */
  priceMax: number | null;
  qualifier: PriceQualifier | null;
  /** The currency the text names, when it names one. */
  currency: string | null;
  /** What the source quoted, when it quoted a rent per some period (kept in `attributes.source_price`). */
  source: SourcePrice | null;
};

/**
 * Reads `value` (a number or the source's text) as a sale price or a rent. `period` is the source's
 * structured period (Rightmove's `frequency`, schema.org's `unitText`), used when the text names none;
 * a rent with no period at all is taken as monthly, the data model's own unit.
 */
export function listingPrice(
  value: number | string | null | undefined,
  options: { rent: boolean; period?: RentPeriod | null },
): ListingPrice {
  const r = readPrice(value);
  const period = r.period ?? options.period ?? null;
  if (!options.rent || r.amount === null || period === null) {
    return { price: r.amount, priceMax: r.max, qualifier: r.qualifier, currency: r.currency, source: null };
  }
  const source: SourcePrice = {
    amount: r.amount,
    ...(r.max !== null ? { max: r.max } : {}),
    period,
    ...(typeof value === "string" ? { text: value.trim().slice(0, 100) } : {}),
  };
  return {
    price: perMonth(r.amount, period),
    priceMax: r.max === null ? null : perMonth(r.max, period),
    qualifier: r.qualifier,
    currency: r.currency,
    source,
  };
}
