/**
 * Minor ↔ major units, the one definition. The database stores integer minor units of each listing's
 * currency (cents for AUD, yen for JPY, fils for KWD, as ISO 4217 says through Intl); the API, the
 * ingest items and the search filters speak whole currency units.
 */
const digitsCache = new Map<string, number>();

/** Decimal places of the currency's minor unit: 2 for USD, 0 for JPY, 3 for KWD (ISO 4217, via Intl). */
export function minorUnitDigits(currency: string): number {
  const code = currency.trim().toUpperCase();
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(code, digits);
  }
  return digits;
}

/** Major units → integer minor units of `currency`. */
export function toMinorUnits(major: number, currency: string): number {
  return Math.round(major * 10 ** minorUnitDigits(currency));
}

/** Integer minor units of `currency` → major units. */
export function toMajorUnits(minor: number, currency: string): number {
  return minor / 10 ** minorUnitDigits(currency);
}

/** `toMajorUnits` for database values (bigint columns arrive as strings; NULL stays null). */
export function toMajor(minor: number | string | null | undefined, currency: string): number | null {
  if (minor === null || minor === undefined) return null;
  return toMajorUnits(Number(minor), currency);
}

let byDigits: { zero: string[]; three: string[] } | undefined;

/**
 * ISO 4217 currencies whose minor unit is not a hundredth, by their number of digits (the same rule as
 * `minorUnitDigits`): SQL that compares or divides `price_minor` across currencies picks the power of
 * ten with them. Every other currency has two digits.
 */
export function currenciesByMinorDigits(): { zero: string[]; three: string[] } {
  if (byDigits) return byDigits;
  const supported = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  const all = supported ? supported("currency") : ["JPY", "KRW", "ISK", "CLP", "VND", "KWD", "BHD", "OMR", "JOD", "TND"];
  byDigits = { zero: all.filter((c) => minorUnitDigits(c) === 0), three: all.filter((c) => minorUnitDigits(c) === 3) };
  return byDigits;
}
