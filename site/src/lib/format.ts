/** Display formatting shared by the pages. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function money(value: number | null | undefined, currency = "USD"): string {
  if (value == null) return "Price on request";
  let f = moneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 0 });
    } catch {
      f = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
    }
    moneyFormats.set(currency, f);
  }
  return f.format(value);
}

export function compactMoney(value: number | null | undefined, currency = "USD"): string {
  if (value == null) return "–";
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(
      value,
    );
  } catch {
    return String(Math.round(value));
  }
}

export const num = (v: number | null | undefined, digits = 0) =>
  v == null ? "–" : new Intl.NumberFormat("en", { maximumFractionDigits: digits }).format(v);

export function date(iso: string | null | undefined): string {
  if (!iso) return "–";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "–" : d.toLocaleDateString("en-GB", { year: "numeric", month: "short", day: "numeric" });
}

export const label = (s: string | null | undefined) => (s ? s.replace(/_/g, " ") : "–");

export function escapeHtml(s: unknown): string {
  return String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Only http(s) image URLs reach an <img> (listing data comes from third parties). */
export function safeUrl(u: string | null | undefined): string | null {
  if (!u) return null;
  try {
    const url = new URL(u, location.origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
