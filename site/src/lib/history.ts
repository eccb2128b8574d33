/** Price points for the history chart from the detail view's events (oldest first). */
import type { PropertyDetail } from "./api";
import { date } from "./format";

export type PricePoint = { at: string; label: string; price: number };

function priceOf(v: unknown): number | null {
  if (v == null) return null;
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  if (typeof v === "object" && "price" in (v as object)) return priceOf((v as { price: unknown }).price);
  return null;
}

export function priceSeries(p: PropertyDetail): PricePoint[] {
  const events = [...(p.history ?? [])].sort((a, b) => a.at.localeCompare(b.at));
  const points: PricePoint[] = [];
  for (const ev of events) {
    // A repeat sale (`sold`) carries the price it sold for.
    if (ev.type !== "listed" && ev.type !== "price_change" && ev.type !== "relisted" && ev.type !== "sold") continue;
    const first = points.length === 0 ? priceOf(ev.old) : null;
    if (first != null) points.push({ at: ev.at, label: `${date(ev.at)} (before)`, price: first });
    const price = priceOf(ev.new);
    if (price != null) points.push({ at: ev.at, label: date(ev.at), price });
  }
  // Always end at today's price so a single listing still draws a line.
  if (p.price != null) {
    const last = points[points.length - 1];
    if (!last || last.price !== p.price) points.push({ at: p.updated_at, label: date(p.updated_at), price: p.price });
    points.push({ at: new Date().toISOString(), label: "Now", price: p.price });
  }
  return points;
}
