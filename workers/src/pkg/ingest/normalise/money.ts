/** Prices: parsing what sources write, ISO 4217 currencies, and conversion to integer minor units. */

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

const minorDigits = new Map<string, number>();

/** Decimal places of the currency's minor unit: 2 for AUD, 0 for JPY, 3 for KWD. */
export function minorUnitDigits(currency: string): number {
  let digits = minorDigits.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigits.set(currency, digits);
  }
  return digits;
}

/** Major units (what people and the search filters use) → integer minor units of `currency`. */
export function toMinorUnits(major: number, currency: string): number {
  return Math.round(major * 10 ** minorUnitDigits(currency));
}

export function toMajorUnits(minor: number, currency: string): number {
  return minor / 10 ** minorUnitDigits(currency);
}

/**
 * A price as sources write it: 450000, "450,000", "$1.2m", "AUD 850k", "NZ$ 1,250,000", "€ 1.250.000". Returns major
 * units, or undefined when the text holds no amount ("Contact agent", "POA").
 */
export function parsePrice(value: number | string): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  let text = value
    .toLowerCase()
    .trim()
    .replace(/[a-z]{0,3}[$€£¥₹]/g, "") // "$", "NZ$", "A$"
    .replace(/^[a-z]{3}\s*(?=[\d.])/, "") // "AUD 850k"
    .replace(/\s+[a-z]{3}$/, "") // "850000 AUD"
    .replace(/\s/g, "");
  const multiplier = /(?:m|mil|million)$/.test(text) ? 1e6 : /(?:k|thousand)$/.test(text) ? 1e3 : 1;
  text = text.replace(/(?:m|mil|million|k|thousand)$/, "");
  if (!/^\d[\d.,]*$/.test(text)) return undefined;
  // "1.250.000" and "1,250,000" are thousands; a single separator followed by 1–2 digits is a decimal point.
  const decimal = /[.,](\d{1,2})$/.exec(text);
  const whole = decimal ? text.slice(0, -decimal[0].length) : text;
  const digits = whole.replace(/[.,]/g, "");
  const amount = Number(decimal ? `${digits}.${decimal[1]}` : digits) * multiplier;
  return Number.isFinite(amount) ? amount : undefined;
}
