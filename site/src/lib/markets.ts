/**
 * Markets for the market page: a market is a country and the currency its listings are priced in
 * (GET /api/v1/stats?group_by=country answers one group per pair, largest first). Statistics are asked
 * for one market at a time, so no chart ever joins two currencies on one axis.
 */
import type { StatsGroup } from "./api";
import { PROPERTY_TYPES } from "./filters";
import { num } from "./format";

export type Market = { country: string; currency: string; count: number };

/** `US:USD`, the market select's value. */
export const marketValue = (m: { country: string; currency: string }) => `${m.country}:${m.currency}`;

export function parseMarket(value: string | null | undefined): { country: string; currency: string } | null {
  const m = /^([A-Za-z]{2}):([A-Za-z]{3})$/.exec(value ?? "");
  return m ? { country: m[1]!.toUpperCase(), currency: m[2]!.toUpperCase() } : null;
}

export function marketsFrom(groups: StatsGroup[]): Market[] {
  return groups
    .filter((g) => g.key && g.currency)
    .map((g) => ({ country: String(g.key).toUpperCase(), currency: String(g.currency).toUpperCase(), count: g.count }))
    .sort((a, b) => b.count - a.count || marketValue(a).localeCompare(marketValue(b)));
}

const countryNames = (() => {
  try {
    return new Intl.DisplayNames(["en"], { type: "region" });
  } catch {
    return null;
  }
})();

export function marketName(m: Market): string {
  const name = countryNames?.of(m.country) ?? m.country;
  return `${name} (${m.currency}) · ${num(m.count)}`;
}

/**
 * Inventory by type, one bar per type of the shared vocabulary (workers/src/pkg/vocabulary.ts): group
 * keys are folded to lower case and anything outside the vocabulary counts as "other", so a type never
 * appears twice (per currency, or as written by a source).
 */
export function inventoryByType(groups: StatsGroup[]): Array<{ type: string; count: number }> {
  const counts = new Map<string, number>();
  const known = new Set<string>(PROPERTY_TYPES);
  for (const g of groups) {
    const raw = String(g.key ?? g.label ?? "")
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_");
    const type = known.has(raw) ? raw : "other";
    counts.set(type, (counts.get(type) ?? 0) + g.count);
  }
  return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}
