/** Areas to square metres: sources write m², sq ft, acres and hectares, as numbers or text. */

export const SQFT_IN_SQM = 0.09290304;
export const ACRE_IN_SQM = 4046.8564224;
export const HECTARE_IN_SQM = 10_000;

const UNIT_FACTORS: Array<[RegExp, number]> = [
  [/^(?:sq\.?\s*ft\.?|sqft|square\s*f(?:ee|oo)t|ft²|ft2|sf)$/, SQFT_IN_SQM],
  [/^(?:m²|m2|sqm|sq\.?\s*m\.?|square\s*met(?:re|er)s?|m)$/, 1],
  [/^(?:acres?|ac)$/, ACRE_IN_SQM],
  [/^(?:ha|hectares?)$/, HECTARE_IN_SQM],
];

export type AreaInput = number | string | { value: number; unit: string };

/** UN/CEFACT common codes, as schema.org's `unitCode` gives them. */
const UNIT_CODES: Record<string, number> = { mtk: 1, ftk: SQFT_IN_SQM, acr: ACRE_IN_SQM, har: HECTARE_IN_SQM };

/** Square metres in one `unit` ("sq ft", "m²", "acres", "ha", or a UN/CEFACT code "FTK"); "" is m². */
export function areaFactor(unit: string): number | undefined {
  const u = unit.trim().toLowerCase();
  if (u === "") return 1;
  return UNIT_CODES[u] ?? UNIT_FACTORS.find(([re]) => re.test(u))?.[1];
}

const factorFor = areaFactor;

/** Two decimals: finer precision than 1 cm² is noise, and a stable value makes re-submissions identical. */
function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * "1,200 sq ft" → 111.48, "0.25 acres" → 1011.71, "650m²" → 650, 85 → 85 (a bare number is m²).
 * Returns undefined when the text is not an area.
 */
export function parseArea(value: AreaInput): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? round2(value) : undefined;
  if (typeof value === "object") {
    const factor = factorFor(value.unit);
    return factor === undefined || !Number.isFinite(value.value) ? undefined : round2(value.value * factor);
  }
  const m = /^\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)\s*(.*?)\s*$/.exec(value);
  if (!m?.[1]) return undefined;
  const raw = m[1];
  // "1,200" is thousands; "85,5" (one comma, not three digits after) is a decimal comma.
  const number = Number(/^\d+,\d{1,2}$/.test(raw) ? raw.replace(",", ".") : raw.replace(/,/g, ""));
  const factor = factorFor(m[2] ?? "");
  if (factor === undefined || !Number.isFinite(number)) return undefined;
  return round2(number * factor);
}
