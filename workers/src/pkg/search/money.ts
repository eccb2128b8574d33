/** Minor ↔ major units for the read API: the definitions are pkg/money/minor-units.ts. */
import { minorUnitDigits, toMajor } from "../money/minor-units";

export { minorUnitDigits, toMajor };

/**
 * `price_per_sqm` is a generated column computed as `price_minor / 100 / area` (cents assumed);
 * rescale it for currencies whose minor unit is not a cent.
 */
export function pricePerSqmMajor(stored: number | null, currency: string): number | null {
  if (stored === null) return null;
  return (Number(stored) * 100) / 10 ** minorUnitDigits(currency);
}
