/** Prices: parsing what sources write, ISO 4217 currencies, and conversion to integer minor units. */
import { readPrice } from "../../money/read-price";

let currencies: Set<string> | undefined;

/** ISO 4217 codes the runtime knows (ICU data), e.g. AUD, NZD, EUR, JPY. */
export function isCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf("currency"));
  return currencies.has(code);
}

/** The currency a listing in `country` is priced in when the source does not say. */
const COUNTRY_CURRENCY: Record<string, string> = {
  AU: "AUD",
  NZ: "NZD",
  US: "USD",
  GB: "GBP",
  CA: "CAD",
  IE: "EUR",
  MT: "EUR",
  FR: "EUR",
  DE: "EUR",
  ES: "EUR",
  IT: "EUR",
  PT: "EUR",
  NL: "EUR",
  BE: "EUR",
  AT: "EUR",
  FI: "EUR",
  GR: "EUR",
  CY: "EUR",
  LU: "EUR",
  SI: "EUR",
  SK: "EUR",
  EE: "EUR",
  LV: "EUR",
  LT: "EUR",
  HR: "EUR",
  CH: "CHF",
  SE: "SEK",
  NO: "NOK",
  DK: "DKK",
  JP: "JPY",
  SG: "SGD",
  HK: "HKD",
  ZA: "ZAR",
  AE: "AED",
  IN: "INR",
  MX: "MXN",
  BR: "BRL",
};

export function defaultCurrency(country: string): string | undefined {
  return COUNTRY_CURRENCY[country];
}

// Minor units and price text have one definition each, in contract/money.
export { minorUnitDigits, toMajorUnits, toMinorUnits } from "../../money/minor-units";

/**
 * The amount of a price as sources write it (450000, "450,000", "$1.2m", "AUD 850k", "€ 1.250.000",
 * "1'250'000"), in major units; undefined when the text holds no amount ("Contact agent", "POA",
 * "AUCTION THIS SATURDAY @3:00PM"). The reading itself is contract/money/read-price.ts.
 */
export function parsePrice(value: number | string): number | undefined {
  return readPrice(value).amount ?? undefined;
}
