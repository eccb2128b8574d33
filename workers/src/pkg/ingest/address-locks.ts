/**
 * The advisory locks an item takes for its address, so that two batches writing what may be one
 * property wait for each other (docs/ingest.md "Identity"), and the same rule inside one batch.
 *
 * Identity's second step (near.ts) can join items at the same street line and unit in one country
 * whatever their locality, so that is what must serialise; but two items that both give a postcode
 * and give different ones are different places, and must not wait for each other: a national batch
 * carries many "12 High Street"s of different towns. So an item with a postcode locks its street line
 * *with* its postcode exclusively and the bare street line shared; an item without a postcode locks the
 * bare street line exclusively, and so waits for every item of that street line (it may be any of them).
 * An item without a street-level address locks its address hash, the only key it can merge by.
 */
import type { Listing } from "../../../../connectors/contract/ingest/listing";
import { postcodeKey } from "../../../../connectors/contract/ingest/normalise/address";
import { foldKey } from "../../../../connectors/contract/ingest/normalise/text";

export type LockKey = { key: string; shared: boolean };

/** The same street line and unit in the same country, whatever postcode or locality (see the module comment). */
function streetLine(listing: Listing): string | null {
  return listing.addressKey && listing.street
    ? `n:${listing.country}|${foldKey(listing.street)}|${foldKey(listing.unit ?? "")}`
    : null;
}

export function addressLocks(listing: Listing, hash: string | null): LockKey[] {
  const line = streetLine(listing);
  if (line === null) return hash ? [{ key: `h:${hash}`, shared: false }] : [];
  if (listing.postalCode === null) return [{ key: line, shared: false }];
  return [
    { key: `${line}|${postcodeKey(listing.postalCode, listing.country)}`, shared: false },
    { key: line, shared: true },
  ];
}

/**
 * Locks held so far, to decide inside one batch what the database decides between batches: an item
 * conflicts with the items already admitted when one of its keys is held exclusively by them, or it
 * wants exclusively a key they hold at all.
 */
export class HeldLocks {
  private readonly held = new Map<string, boolean>(); // key → shared only

  conflicts(keys: LockKey[]): boolean {
    return keys.some(({ key, shared }) => this.held.has(key) && !(shared && this.held.get(key)));
  }

  take(keys: LockKey[]): void {
    for (const { key, shared } of keys) this.held.set(key, (this.held.get(key) ?? true) && shared);
  }

  /** Each key once: exclusive where any taker wanted it so. */
  keys(): LockKey[] {
    return [...this.held].map(([key, shared]) => ({ key, shared }));
  }
}

/** The keys of a round in one list, each once (exclusive where any item wants it so). */
export function mergeLocks(keys: LockKey[]): LockKey[] {
  const held = new HeldLocks();
  held.take(keys);
  return held.keys();
}
