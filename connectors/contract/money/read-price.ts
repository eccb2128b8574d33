/**
 * The one price reader. Every connector, dataset importer and the ingest schema read prices here, so a
 * text such as "AUCTION THIS SATURDAY @3:00PM" means the same thing wherever it arrives (no price, an
 * auction), and "$660 per week" is always 660 a week.
 *
 * What it reads:
 * - numbers written the ways the sites' locales write them: "1,250,000", "1.250.000,00" (de/it/es),
 *   "1 250 000" (fr, with normal or narrow no-break spaces), "1'250'000" (de-CH), "£350k", "$1.2m";
 * - the qualifier around the amount (`offers_over`, `guide`, `from`, `auction`, `poa`,
 *   `contact_agent`, `range`) and the rent period ("pw", "per week", "pcm", "p.a.", "/night");
 * - the currency when the text names one unambiguously ("£", "€", "NZ$", "AUD"; a bare "$" says nothing).
 *
 * Times ("@3:00PM", "10.30am"), dates ("15/03/2025", "Sat 15 March"), years and phone numbers
 * ("0412 345 678", "+44 20 7946 0000") are taken out before amounts are looked for: they are never a
 * price. A bare number without a currency sign or a k/m suffix counts only when it is grouped
 * ("450,000"), large (≥ 1000) or the whole text.
 */

export const PRICE_QUALIFIERS = ["offers_over", "guide", "from", "auction", "poa", "contact_agent", "range"] as const;
export type PriceQualifier = (typeof PRICE_QUALIFIERS)[number];

export const RENT_PERIODS = ["day", "week", "fortnight", "month", "quarter", "year"] as const;
export type RentPeriod = (typeof RENT_PERIODS)[number];

export type PriceReading = {
  /** Major units; the lower bound of a range; null when the text names no amount. */
  amount: number | null;
  /** Upper bound of a range ("$700,000 - $760,000"). */
  max: number | null;
  qualifier: PriceQualifier | null;
  /** The period a rent is quoted per, when the text says. */
  period: RentPeriod | null;
  /** ISO 4217 code when the text names the currency unambiguously. */
  currency: string | null;
};

const EMPTY: PriceReading = { amount: null, max: null, qualifier: null, period: null, currency: null };

const MONTH =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const WEEKDAY = "mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?";

/** Text that holds digits but never a price. Order matters: dates before times, phones last. */
const NOT_PRICES: RegExp[] = [
  // 15/03/2025, 15-03-25, 2025-03-15, 15.03.2025, 15/03
  /\b\d{4}-\d{1,2}-\d{1,2}\b/g,
  /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/g,
  /\b\d{1,2}\/\d{1,2}\b/g,
  // 15 March 2025, 15th Mar, March 15, 2025
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTH})\\b\\.?(?:,?\\s+\\d{4})?`, "g"),
  new RegExp(`\\b(?:${MONTH})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?\\b(?:,?\\s+\\d{4})?`, "g"),
  new RegExp(`\\b(?:${WEEKDAY})\\b\\.?\\s*\\d{1,2}(?:st|nd|rd|th)?\\b`, "g"),
  // 3:00PM, 10.30 am, 11am, 14:00, 3pm–5pm
  /@?\s*\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?![\d])/g,
  /@?\s*\b\d{1,2}\.\d{2}\s*[ap]\.?m\.?(?![a-z])/g,
  /@?\s*\b\d{1,2}\s*[ap]\.?m\.?\b/g,
  // phone numbers: +44 20 7946 0000, (02) 9876 5432, 0412 345 678, 1300 123 456
  /\+\d[\d\s().-]{6,}\d/g,
  /\(\d{1,4}\)\s*\d[\d\s-]{4,}\d/g,
  /\b0\d{1,4}(?:[\s-]\d{2,4}){2,3}\b/g,
  /\b1[38]00(?:[\s-]?\d{3}){2}\b/g,
];

/** Prefixes and codes that name a currency. A bare "$" is ambiguous and names none. */
const SYMBOL_CURRENCY: Record<string, string> = {
  a$: "AUD",
  au$: "AUD",
  nz$: "NZD",
  us$: "USD",
  c$: "CAD",
  ca$: "CAD",
  hk$: "HKD",
  s$: "SGD",
  "£": "GBP",
  "€": "EUR",
  "¥": "JPY",
  "₹": "INR",
  "fr.": "CHF",
  chf: "CHF",
};
const CODES = ["aud", "nzd", "usd", "gbp", "eur", "chf", "cad", "jpy", "sek", "nok", "dkk", "sgd", "hkd", "zar", "aed", "inr"];

const CURRENCY = `(?:[a-z]{1,2}\\$|[$£€¥₹]|fr\\.|\\b(?:${CODES.join("|")})\\b)`;
// A number: grouped thousands (one separator kind, used consistently) with an optional decimal part in the
// other separator, or plain digits with an optional decimal part.
const NUMBER = "(\\d{1,3}(?:([,.'’\\u00a0\\u202f ])\\d{3})(?:\\3\\d{3})*(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d+)?)";
const SUFFIX = "(k|m|mil|mill?ion|thousand|bn|billion)(?![a-z])";
const AMOUNT = new RegExp(`(${CURRENCY})?\\s*${NUMBER}\\s*(?:${SUFFIX})?(?:\\s*(${CURRENCY}))?`, "gi");

type Token = {
  value: number;
  /** The k/m multiplier written after it (1 when none). */
  multiplier: number;
  start: number;
  end: number;
  /** Written with a currency or a k/m suffix. */
  marked: boolean;
  currency: string | null;
  /** Plain digits, without grouping, currency or suffix. */
  bare: boolean;
};

function currencyOf(marker: string | undefined): string | null {
  if (!marker) return null;
  const m = marker.toLowerCase().trim();
  return SYMBOL_CURRENCY[m] ?? (CODES.includes(m) ? m.toUpperCase() : null);
}

/** A number as written ("1.250.000,00", "1'250'000", "1,5" with a suffix) → its value. */
export function parseNumber(digits: string, groupSeparator: string | undefined, suffixed: boolean): number | null {
  let text = digits;
  if (groupSeparator) {
    // Grouped: drop the group separator; the other one (if any) is the decimal point.
    text = text.split(groupSeparator).join("");
    text = text.replace(/[,.]/, ".");
  } else if (/^\d+,\d+$/.test(text)) {
    // One comma: "1,5m" is a decimal comma; "1,250" (exactly three digits, no suffix) is thousands.
    text = !suffixed && /^\d{1,3},\d{3}$/.test(text) ? text.replace(",", "") : text.replace(",", ".");
  } else if (!suffixed && /^\d{1,3}\.\d{3}$/.test(text)) {
    // "1.250" without a suffix: thousands, as European sites write them.
    text = text.replace(".", "");
  }
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

const MULTIPLIERS: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mil: 1e6,
  mill: 1e6,
  million: 1e6,
  milion: 1e6,
  bn: 1e9,
  billion: 1e9,
};

function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const [whole, before, digits, group, suffix, after] = m;
    if (!digits) continue;
    const n = parseNumber(digits, group, Boolean(suffix));
    if (n === null) continue;
    const multiplier = suffix ? (MULTIPLIERS[suffix.toLowerCase()] ?? 1) : 1;
    const start = (m.index ?? 0) + whole.indexOf(before ?? digits);
    out.push({
      // Rounded only to undo float noise ("1.2m" = 1199999.9999…), to four places: a currency's own
      // minor unit (three digits for KWD, four for CLF) is applied later, by toMinorUnits.
      value: Math.round(n * multiplier * 1e4) / 1e4,
      multiplier,
      start,
      end: (m.index ?? 0) + whole.length,
      marked: Boolean(before || after || suffix),
      currency: currencyOf(before) ?? currencyOf(after),
      bare: !before && !after && !suffix && !group,
    });
  }
  return out;
}

const PERIODS: Array<[RegExp, RentPeriod]> = [
  [
    /(?<![a-z])(?:per|a|each|\/)\s*(?:calendar\s+)?month\b|(?<![a-z])pcm\b|(?<![a-z])p\.?\s?c\.?\s?m\.?|(?<![a-z])monthly\b|\/\s*mo\b|(?<![a-z])p\/m\b|(?<![a-z])pm\b|(?<![a-z])mth\b/,
    "month",
  ],
  [/(?<![a-z])(?:per|a|each|\/)\s*(?:week|wk)\b|(?<![a-z])p\.?\s?w\.?(?![a-z])|(?<![a-z])weekly\b|\/\s*w\b/, "week"],
  [/(?<![a-z])fortnight(?:ly)?\b|(?<![a-z])pf\b/, "fortnight"],
  [/(?<![a-z])(?:per|a|each|\/)\s*(?:day|night)\b|(?<![a-z])daily\b|(?<![a-z])nightly\b|(?<![a-z])pn\b/, "day"],
  [/(?<![a-z])(?:per|a|each|\/)\s*quarter\b|(?<![a-z])quarterly\b|(?<![a-z])pq\b/, "quarter"],
  [
    /(?<![a-z])(?:per|a|each|\/)\s*(?:year|annum|yr)\b|(?<![a-z])p\.?\s?a\.?(?![a-z])|(?<![a-z])annual(?:ly)?\b|(?<![a-z])yearly\b|(?<![a-z])py\b/,
    "year",
  ],
];

/** The qualifier words; the first that matches wins (a range is decided by the amounts). */
const QUALIFIERS: Array<[RegExp, PriceQualifier]> = [
  [/\bp\.?\s?o\.?\s?a\.?(?![a-z])|\bprice on (?:application|request)\b|\bprice upon request\b|\bpor\b/, "poa"],
  [
    /\boffers?\s+(?:over|above|in excess of|from)\b|\bo\.?i\.?e\.?o\.?\b|\bbids?\s+over\b|\boffers?\s+invited\s+over\b/,
    "offers_over",
  ],
  [/\bauction\b/, "auction"],
  [
    /\bguide\b|\bprice guide\b|\bestimate[ds]?\b|\boffers?\s+in\s+(?:the\s+)?region\s+of\b|\bo\.?i\.?r\.?o\.?\b|\babout\b|\baround\b|\bapprox/,
    "guide",
  ],
  [/\bfrom\b|\bstarting\s+(?:at|from)\b|\boffers?\s+invited\b/, "from"],
  [
    /\bcontact\b|\benquire\b|\bcall\b|\bask\b|\bon request\b|\btba\b|\btbc\b|\bexpressions? of interest\b|\beoi\b|\bprice withheld\b|\bundisclosed\b/,
    "contact_agent",
  ],
];

/** Removes dates, times and phone numbers, keeping offsets meaningful enough for range detection. */
function withoutNonPrices(text: string): string {
  let out = text;
  for (const re of NOT_PRICES) out = out.replace(re, (m) => " ".repeat(m.length));
  return out;
}

function looksLikeYear(t: Token, text: string): boolean {
  return t.bare && Number.isInteger(t.value) && t.value >= 1800 && t.value <= 2100 && text.trim() !== String(t.value);
}

/**
 * Reads a price as a source writes it. A number is taken as it is (major units). Text yields the amount
 * (or the lower bound of a range), the qualifier, the rent period and the currency it names.
 */
export function readPrice(value: number | string | null | undefined): PriceReading {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? { ...EMPTY, amount: value } : EMPTY;
  const original = String(value).toLowerCase().replace(/\s+/g, " ").trim();
  if (original === "") return EMPTY;
  // A plain number as data files write it ("221900.0", "1.225e+06" in the King County CSV).
  if (/^\d+(?:\.\d+)?(?:e[+-]?\d+)?$/.test(original)) return { ...EMPTY, amount: Number(original) };
  const text = withoutNonPrices(original);

  const usable = tokens(text).filter(
    (t) =>
      !looksLikeYear(t, text) && (t.marked || !t.bare || t.value >= 1000 || text.trim() === text.slice(t.start, t.end).trim()),
  );
  // Marked amounts ("$", "£", "k") first: a bare number elsewhere in the text is rarely the price.
  const ranked = usable.some((t) => t.marked) ? usable.filter((t) => t.marked || !t.bare) : usable;
  const first = ranked[0];
  let max: number | null = null;
  if (first) {
    const next = ranked[1];
    if (next && /^\s*(?:-|–|—|to|and|bis|à|a)\s*$/.test(text.slice(first.end, next.start))) {
      // "$1.2 - 1.3m": the suffix written once applies to both ends.
      max = next.value;
      if (first.multiplier === 1 && next.multiplier > 1 && first.value < 1000) first.value *= next.multiplier;
    }
  }

  const period = PERIODS.find(([re]) => re.test(text))?.[1] ?? null;
  let qualifier: PriceQualifier | null = null;
  if (max !== null && first && max > first.value) qualifier = "range";
  else qualifier = QUALIFIERS.find(([re]) => re.test(original))?.[1] ?? null;
  // "Contact agent" with an amount beside it is just a note; the amount stands.
  if (qualifier === "contact_agent" && first) qualifier = null;
  return {
    amount: first ? first.value : null,
    max: max !== null && first && max > first.value ? max : null,
    qualifier,
    period,
    currency: first?.currency ?? null,
  };
}

/** Only the amount of `readPrice` (major units), or null. */
export function priceAmount(value: number | string | null | undefined): number | null {
  return readPrice(value).amount;
}
