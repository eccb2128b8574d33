/**
 * The one ingest pipeline: validate → normalise → identify → merge → history → quality → store.
 * Every entry point (the API, dataset importers, connectors, the enrichment loop) calls `ingestItems`.
 *
 * A batch is written set-based: identical re-submissions are found with one lookup and never touch
 * the database again; the rest is merged in memory and written in one transaction with one locking
 * read and one write statement per round. Rounds exist only for items of one batch that describe the
 * same property (same source listing, same address or same target): those are applied in input order.
 */
import type { PoolClient } from "@neondatabase/serverless";
import { v7 as timeOrderedUuid } from "uuid";
import type { Listing } from "../../../../connectors/contract/ingest/listing";
import { formatFull } from "../../../../connectors/contract/ingest/normalise/address";
import type { PlausibilityWarning } from "../../../../connectors/contract/ingest/plausibility";
import { readIngestItem } from "../../../../connectors/contract/ingest/read-item";
import type { Env } from "../../env";
import { type PropertyChange, propertiesChanged } from "../changes";
import { withTransaction } from "../db";
import { zodIssues } from "../errors";
import { addressLocks, HeldLocks, type LockKey, mergeLocks } from "./address-locks";
import { addressHash, payloadHash, rawSourceKey } from "./identify";
import { createFromListing, type MergeResult, mergeListing } from "./merge";
import { matchNear, type NearReason } from "./near";
import {
  type Candidate,
  findUnchanged,
  lockCandidates,
  lockKeys,
  lockNearCandidates,
  type NearProbe,
  type UnchangedLookup,
  type WriteSet,
  writeSet,
} from "./store";

export type IngestOutcome = "created" | "merged" | "unchanged" | "invalid";
export type FieldError = { path: string; message: string };
/**
 * `near_candidate`: a stored property the item may be, that identity did not merge it into (see near.ts);
 * `location_outside_country`, `currency_country_mismatch`, `implausible_price`: see plausibility.ts.
 */
export type IngestWarning = { code: "near_candidate"; property_id: string; reason: NearReason } | PlausibilityWarning;
export type IngestResult = {
  index: number;
  outcome: IngestOutcome;
  id?: string;
  errors?: FieldError[];
  warnings?: IngestWarning[];
};
export type IngestTotals = { received: number; created: number; merged: number; unchanged: number; invalid: number };
export type IngestReport = { results: IngestResult[]; totals: IngestTotals };

export type IngestOptions = {
  /** Source to assume for items that do not name one (a connector's or importer's own name). */
  source?: string;
};

export type Prepared = {
  index: number;
  listing: Listing;
  hash: string | null;
  payloadHash: string;
  /** What plausibility found (the listing already carries its consequences). */
  warnings?: PlausibilityWarning[];
};
export type Received = {
  index: number;
  item: unknown;
  key: { source: string; sourceListingId: string } | undefined;
  payloadHash: string;
};

/** Postgres errors a concurrent batch can cause; the whole batch is retried from its lookups. */
const RETRYABLE = new Set(["23505", "40P01", "40001"]);
const MAX_ATTEMPTS = 4;

function sourceKey(key: { source: string; sourceListingId: string }): string {
  return `${key.source}\n${key.sourceListingId}`;
}

function withDefaultSource(raw: unknown, source: string | undefined): unknown {
  if (!source || !raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
  return (raw as { source?: unknown }).source === undefined ? { ...raw, source } : raw;
}

// `receive`, `unchangedLookups`, `prepare` and `writeRounds` are the steps of `ingestItems`, exported so that the ingest
// benchmark can run the write step alone on a direct connection (its database floor).

export async function receive(items: unknown[], options: IngestOptions): Promise<Received[]> {
  return Promise.all(
    items.map(async (raw, index) => {
      const item = withDefaultSource(raw, options.source);
      return { index, item, key: rawSourceKey(item), payloadHash: await payloadHash(item) };
    }),
  );
}

/**
 * The items to look up as possible identical re-submissions. Items whose source listing appears more
 * than once in the batch are left to the rounds so they apply in order.
 */
export function unchangedLookups(received: Received[]): UnchangedLookup[] {
  const counts = new Map<string, number>();
  for (const r of received) if (r.key) counts.set(sourceKey(r.key), (counts.get(sourceKey(r.key)) ?? 0) + 1);
  return received.flatMap((r) =>
    r.key && counts.get(sourceKey(r.key)) === 1
      ? [{ idx: r.index, src: r.key.source, lid: r.key.sourceListingId, ph: r.payloadHash }]
      : [],
  );
}

/** Validates and normalises the items that need work; invalid ones get their result here. */
export async function prepare(received: Received[], results: IngestResult[]): Promise<Prepared[]> {
  const prepared: Array<Promise<Prepared>> = [];
  for (const { index, item, payloadHash: ph } of received) {
    const read = readIngestItem(item);
    if (!read.success) {
      results[index] = { index, outcome: "invalid", errors: zodIssues(read.error) };
      continue;
    }
    const { listing, warnings } = read;
    prepared.push(
      addressHash(listing).then((hash) => ({
        index,
        listing,
        hash,
        payloadHash: ph,
        ...(warnings.length > 0 ? { warnings } : {}),
      })),
    );
  }
  return Promise.all(prepared);
}

/**
 * Splits items into the next round and the rest: an item waits when an earlier pending item shares
 * its source listing or address, so that within a batch later items see earlier ones.
 */
function nextRound(pending: Prepared[]): { round: Prepared[]; later: Prepared[] } {
  const taken = new Set<string>();
  const round: Prepared[] = [];
  const later: Prepared[] = [];
  for (const p of pending) {
    const keys = [`s:${sourceKey(p.listing)}`, ...(p.hash ? [`h:${p.hash}`] : [])];
    (keys.some((k) => taken.has(k)) ? later : round).push(p);
    for (const k of keys) taken.add(k);
  }
  return { round, later };
}

/** Which stored property an item belongs to (see identify.ts), or null for a new one. */
function resolveTarget(p: Prepared, candidates: Candidate[]): { target: Candidate | null; linked: boolean } {
  const byHash = p.hash ? candidates.find((c) => c.record.addressHash === p.hash) : undefined;
  const bySource = candidates.find((c) => c.sourcePropertyId !== null && c.record.id === c.sourcePropertyId);
  const target = byHash ?? (bySource && (!p.hash || !bySource.record.addressHash) ? bySource : null);
  return { target, linked: Boolean(target && bySource && bySource.record.id === target.record.id) };
}

/** The date a report speaks of: the sale it reports, else the listing (ISO), if it says. */
function reportedAt(listing: Listing): string | null {
  return listing.soldAt ?? listing.listedAt;
}

/**
 * Whether the source has already moved past this report: it speaks of an earlier date than the latest
 * report the same source made for the same listing. A dataset imported again re-reports every older
 * sale (or passed-in auction) of a parcel that changed hands more than once; that is history the
 * property already went through, not the listing now, and merging it would roll the property back and
 * forward again, replaying the history's events. Undated reports and reports of the same date are
 * never superseded: an asking price seen again after a change is a change back. (A report first seen
 * after a later one is superseded too, so it cannot roll the property back either.)
 */
function isSuperseded(listing: Listing, own: Candidate): boolean {
  const at = reportedAt(listing);
  if (!at || !own.sourceReportedAt) return false;
  return Date.parse(at) < Date.parse(own.sourceReportedAt);
}

/** The advisory locks of an item: its source listing, and its address (address-locks.ts). */
function lockKeysOf(p: Prepared): LockKey[] {
  return [{ key: `s:${sourceKey(p.listing)}`, shared: false }, ...addressLocks(p.listing, p.hash)];
}

/** A listing that names a locality but no postcode, with the one postcode the gazetteer gives for it. */
function withInferredPostcode(listing: Listing, postalCode: string): Listing {
  const address = {
    street: listing.street,
    unit: listing.unit,
    building: typeof listing.attributes.building_name === "string" ? listing.attributes.building_name : null,
    city: listing.city,
    state: listing.state,
    postalCode,
    country: listing.country,
  };
  return { ...listing, postalCode, addressFull: formatFull(address) ?? listing.addressFull };
}

type Resolved = { p: Prepared; target: Candidate | null; linked: boolean; warnings: IngestWarning[] };

/**
 * Identity's second step for the items whose exact key missed (see near.ts), in one statement for the
 * round; it also gives items without a postcode the one postcode of their locality, where the gazetteer
 * has exactly one.
 */
async function resolveMisses(client: PoolClient, misses: Resolved[]): Promise<void> {
  const probes: NearProbe[] = misses
    .map((m, idx) => ({ m, idx }))
    .filter(({ m }) => m.p.hash !== null || (m.p.listing.postalCode === null && m.p.listing.city !== null))
    .map(({ m, idx }) => ({
      idx,
      source: m.p.listing.source,
      listingId: m.p.listing.sourceListingId,
      country: m.p.listing.country,
      street: m.p.hash ? m.p.listing.street : null,
      city: m.p.listing.city,
      state: m.p.listing.state,
      postalCode: m.p.listing.postalCode,
    }));
  if (probes.length === 0) return;
  const lookup = await lockNearCandidates(client, probes);
  misses.forEach((m, idx) => {
    if (m.p.hash) {
      const match = matchNear(m.p.listing, {
        postcodeLocalities: lookup.postcodeLocalities.get(idx) ?? [],
        candidates: lookup.candidates.get(idx) ?? [],
      });
      if (match.target) {
        const { record, reports } = match.target;
        m.target = { idx, sourcePropertyId: null, payloadHash: null, sourceReportedAt: null, record, reports };
      }
      m.warnings = match.near.map((n) => ({ code: "near_candidate" as const, property_id: n.id, reason: n.reason }));
    }
    const inferred = lookup.inferredPostalCode.get(idx);
    if (inferred && (m.target === null || m.target.record.postalCode === null)) {
      m.p = { ...m.p, listing: withInferredPostcode(m.p.listing, inferred) };
    }
  });
}

/** Writes prepared items in rounds inside the caller's transaction (see the module comment). */
export async function writeRounds(client: PoolClient, items: Prepared[], results: IngestResult[], now: string): Promise<void> {
  let pending = items;
  while (pending.length > 0) {
    const { round, later } = nextRound(pending);
    await lockKeys(client, mergeLocks(round.flatMap(lockKeysOf)));
    const candidates = await lockCandidates(
      client,
      round.map((p, idx) => ({ idx, h: p.hash, src: p.listing.source, lid: p.listing.sourceListingId })),
    );
    const byItem = new Map<number, Candidate[]>();
    for (const c of candidates) byItem.set(c.idx, [...(byItem.get(c.idx) ?? []), c]);

    const resolved: Resolved[] = [];
    round.forEach((p, idx) => {
      const mine = byItem.get(idx) ?? [];
      const own = mine.find((c) => c.sourcePropertyId !== null);
      if (own && (own.payloadHash === p.payloadHash || isSuperseded(p.listing, own))) {
        results[p.index] = {
          index: p.index,
          outcome: "unchanged",
          id: own.sourcePropertyId!,
          ...(p.warnings ? { warnings: p.warnings } : {}),
        };
        return;
      }
      resolved.push({ p, ...resolveTarget(p, mine), warnings: [] });
    });
    // Two misses of this round that may be one property (their address locks conflict, as they would
    // between two batches): the later one goes in the next round, where the second step finds what the
    // first one created.
    const waiting = new Set<Prepared>();
    const missLocks = new HeldLocks();
    const misses = resolved.filter((r) => {
      if (r.target !== null) return false;
      const keys = addressLocks(r.p.listing, r.p.hash);
      if (missLocks.conflicts(keys)) {
        waiting.add(r.p);
        return false;
      }
      missLocks.take(keys);
      return true;
    });
    await resolveMisses(client, misses);

    const set: WriteSet = { properties: [], sources: [], images: [], events: [] };
    const claimed = new Set<string>();
    const deferred: Prepared[] = [...waiting];
    for (const { p, target, linked, warnings } of resolved) {
      if (waiting.has(p)) continue;
      // Two items of this round landing on one property: the later one goes in the next round.
      if (target && claimed.has(target.record.id)) {
        deferred.push(p);
        continue;
      }
      let merge: MergeResult;
      let outcome: IngestOutcome;
      if (target) {
        claimed.add(target.record.id);
        merge = mergeListing(target.record, p.hash, p.listing, now, target.reports);
        outcome = merge.changed || merge.events.length > 0 || merge.newImages.length > 0 || !linked ? "merged" : "unchanged";
      } else {
        // Time-ordered (UUIDv7): a new property's id, and the rows pointing at it (its source row, images,
        // events), go to the right edge of their id indexes, on pages already in memory, instead of to a
        // random leaf page of each; at 1M rows that is about a tenth of Postgres' CPU for a new record.
        merge = createFromListing(timeOrderedUuid(), p.hash, p.listing, now);
        outcome = "created";
      }
      const id = merge.record.id;
      if (merge.changed) set.properties.push(merge.record);
      set.sources.push({ propertyId: id, listing: p.listing, payloadHash: p.payloadHash });
      for (const image of merge.newImages)
        set.images.push({ propertyId: id, url: image.url, position: image.position, source: p.listing.source });
      set.events.push(...merge.events);
      const all: IngestWarning[] = [...(p.warnings ?? []), ...warnings];
      results[p.index] = { index: p.index, outcome, id, ...(all.length > 0 ? { warnings: all } : {}) };
    }
    await writeSet(client, set);
    pending = [...deferred, ...later].sort((a, b) => a.index - b.index);
  }
}

function totalsOf(results: IngestResult[]): IngestTotals {
  const totals: IngestTotals = { received: results.length, created: 0, merged: 0, unchanged: 0, invalid: 0 };
  for (const r of results) totals[r.outcome]++;
  return totals;
}

/**
 * Ingests listings. Each item is validated on its own: a bad item is reported `invalid` with
 * field-level errors and the others are stored. Results are in input order.
 */
export async function ingestItems(env: Env, items: unknown[], options: IngestOptions = {}): Promise<IngestReport> {
  const results: IngestResult[] = new Array(items.length);
  const received = await receive(items, options);

  // Identical re-submissions first: one lookup, before any validation or transaction.
  const unchanged = await findUnchanged(env, unchangedLookups(received));
  for (const [index, id] of unchanged) results[index] = { index, outcome: "unchanged", id };

  const toWrite = await prepare(
    received.filter((r) => !unchanged.has(r.index)),
    results,
  );

  if (toWrite.length > 0) {
    for (let attempt = 1; ; attempt++) {
      try {
        const now = new Date().toISOString();
        await withTransaction(env, ({ client }) => writeRounds(client, toWrite, results, now));
        break;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
      }
    }
    const changes: PropertyChange[] = [];
    for (const p of toWrite) {
      const r = results[p.index];
      if (r?.id && (r.outcome === "created" || r.outcome === "merged")) changes.push({ id: r.id, outcome: r.outcome });
    }
    await propertiesChanged(env, changes);
  }
  return { results, totals: totalsOf(results) };
}
