/**
 * Rents per month. The data model defines a rent's `price` as per calendar month (docs/ingest.md);
 * sites quote per week (Australia, New Zealand, some UK lets), per fortnight, per day or per year.
 * A year is 52 weeks, 26 fortnights, 365 days, 4 quarters or 12 months.
 */
import type { RentPeriod } from "./read-price";

const PER_YEAR: Record<RentPeriod, number> = { day: 365, week: 52, fortnight: 26, month: 12, quarter: 4, year: 1 };

/** Period words as sites write them in structured data ("weekly", "per_month", "P1W", "WEE", "MON"). */
export function toRentPeriod(text: string | null | undefined): RentPeriod | null {
  const t = (text ?? "").trim().toLowerCase();
  if (!t) return null;
  if (/^(?:p1d|day|dai|d)$|daily|night|per.?day/.test(t)) return "day";
  if (/^(?:p2w)$|fortnight/.test(t)) return "fortnight";
  if (/^(?:p1w|wee|wk|w|pw)$|week/.test(t)) return "week";
  if (/^(?:p3m|qua)$|quarter/.test(t)) return "quarter";
  if (/^(?:p1y|ann|yr|y|pa|ann)$|year|annu/.test(t)) return "year";
  if (/^(?:p1m|mon|mth|pcm|m)$|month/.test(t)) return "month";
  return null;
}

/** An amount quoted per `period` → per calendar month, in whole units (as the sites show it: £260 pw = £1,127 pcm). */
export function perMonth(amount: number, period: RentPeriod | null): number {
  if (period === null || period === "month") return amount;
  return Math.round((amount * PER_YEAR[period]) / 12);
}
