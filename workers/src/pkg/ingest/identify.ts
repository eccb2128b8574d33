/**
 * Identity. A listing with a street-level address is the property at `address_hash` = SHA-256 of its
 * canonical address key (country, postcode, city, house number, street, unit), whoever lists it;
 * different units stay different properties. A listing without one is identified by
 * (source, source_listing_id) alone: never merged on coarse location.
 */
import type { Listing } from "./listing";

async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function addressHash(listing: Listing): Promise<string | null> {
  return listing.addressKey ? sha256Hex(listing.addressKey) : Promise.resolve(null);
}

/**
 * Hash of everything the source said, in normalised form. Equal hashes mean an identical
 * re-submission, which is answered `unchanged` without touching the property.
 */
export function payloadHash(listing: Listing): Promise<string> {
  return sha256Hex(JSON.stringify(listing));
}
