/**
 * Identity. A listing with a street-level address is the property at `address_hash` = SHA-256 of its
 * canonical address key (country, postcode, city, house number, street, unit), whoever lists it;
 * different units stay different properties. A listing without one is identified by
 * (source, source_listing_id) alone: never merged on coarse location.
 *
 * Re-submissions are recognised before any work: `payload_hash` is the SHA-256 of the item exactly
 * as received (its JSON), so an identical item is answered `unchanged` from one indexed lookup,
 * without validation, normalisation or a transaction.
 */

import type { Listing } from "../../../../connectors/contract/ingest/listing";
import { cleanText } from "../../../../connectors/contract/ingest/normalise/text";
import { sha256Hex } from "../auth/api-token";

export function addressHash(listing: Listing): Promise<string | null> {
  return listing.addressKey ? sha256Hex(listing.addressKey) : Promise.resolve(null);
}

/** Hash of an item as received. */
export function payloadHash(item: unknown): Promise<string> {
  return sha256Hex(JSON.stringify(item) ?? "null");
}

/**
 * The (source, source_listing_id) of a raw item, normalised exactly as validation will normalise
 * them, or undefined when the item does not have them in a usable form (validation will say why).
 */
export function rawSourceKey(item: unknown): { source: string; sourceListingId: string } | undefined {
  if (!item || typeof item !== "object" || Array.isArray(item)) return undefined;
  const { source, source_listing_id: id } = item as { source?: unknown; source_listing_id?: unknown };
  if (typeof source !== "string" || (typeof id !== "string" && typeof id !== "number")) return undefined;
  const key = { source: cleanText(source).toLowerCase(), sourceListingId: cleanText(String(id)) };
  return key.source && key.sourceListingId ? key : undefined;
}
