/**
 * Minor ↔ major units. The database stores integer minor units of each listing's currency (cents
 * for USD, yen for JPY, fils for KWD: the same rule as ingest's normaliser); the API speaks whole
 * currency units.
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

export function toMajor(minor: number | string | null, currency: string): number | null {
  if (minor === null) return null;
  return Number(minor) / 10 ** minorUnitDigits(currency);
}

/**
 * `price_per_sqm` is a generated column computed as `price_minor / 100 / area` (cents assumed);
 * rescale it for currencies whose minor unit is not a cent.
 */
export function pricePerSqmMajor(stored: number | null, currency: string): number | null {
  if (stored === null) return null;
  return (Number(stored) * 100) / 10 ** minorUnitDigits(currency);
}
