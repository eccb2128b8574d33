/**
 * A property's status from all its sources (docs/ingest.md "Status and price from all sources"). Each
 * source listing's latest report is kept (`property_sources.payload`, seen at `last_seen_at`); the status
 * follows from all of them, not from whichever arrived last:
 *
 * 1. **sold** (or **leased**) when a source reports a sale (a letting) dated after the last time any
 *    source reported the property on the market;
 * 2. else **active** while any source lists it active, **pending** while one lists it under offer;
 * 3. else (no source lists it) the status of the most recent report: `withdrawn`, `off_market`, or an
 *    older sale.
 *
 * So an unrelated source's `withdrawn` cannot end a listing others still list active, and an old sale in a
 * dataset does not end a listing a portal shows today. The price follows the freshest report on the market.
 */
import type { Status } from "../../../../connectors/contract/ingest/normalise/vocab";

/** One source listing's latest report. Dates are ISO instants. */
export type SourceReport = {
  source: string;
  listingId: string;
  status: Status | null;
  priceMinor: number | null;
  currency: string | null;
  soldAt: string | null;
  /** When Pillow last received this report. */
  seenAt: string;
};

const ON_MARKET: ReadonlySet<Status> = new Set(["active", "pending"]);
const CLOSED: ReadonlySet<Status> = new Set(["sold", "leased"]);

export function isOnMarket(status: Status | null): boolean {
  return status !== null && ON_MARKET.has(status);
}

function time(iso: string | null): number {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** The status all reports together give (see the module comment); null when none says anything. */
export function deriveStatus(reports: SourceReport[]): Status | null {
  const known = reports.filter((r): r is SourceReport & { status: Status } => r.status !== null);
  if (known.length === 0) return null;
  const onMarket = known.filter((r) => ON_MARKET.has(r.status));
  const lastOnMarket = Math.max(Number.NEGATIVE_INFINITY, ...onMarket.map((r) => time(r.seenAt)));
  const closedAt = (r: SourceReport) => time(r.soldAt ?? r.seenAt);
  const closed = known.filter((r) => CLOSED.has(r.status)).sort((a, b) => closedAt(b) - closedAt(a))[0];
  if (closed && closedAt(closed) > lastOnMarket) return closed.status;
  if (onMarket.length > 0) return onMarket.some((r) => r.status === "active") ? "active" : "pending";
  return known.sort((a, b) => time(b.seenAt) - time(a.seenAt))[0]!.status;
}
