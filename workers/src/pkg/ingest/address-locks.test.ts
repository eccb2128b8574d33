import { describe, expect, it } from "vitest";
import { type Listing, toListing } from "../../../../connectors/contract/ingest/listing";
import { IngestItemSchema } from "../../../../connectors/contract/ingest/schema";
import { sampleItem } from "../../../test/listings";
import { addressLocks, HeldLocks, mergeLocks } from "./address-locks";

const listing = (street: string, postalCode: string | null, city = "Richmond"): Listing =>
  toListing(
    IngestItemSchema.parse(
      sampleItem({ address: { street, city, state: "VIC", postal_code: postalCode, country: "AU" }, location: undefined }),
    ),
  );

/** Whether two items, one admitted first, must wait for each other. */
function conflict(a: Listing, b: Listing): boolean {
  const held = new HeldLocks();
  held.take(addressLocks(a, "ha"));
  return held.conflicts(addressLocks(b, "hb"));
}

describe("address locks", () => {
  it("the same street line with different postcodes: different places, no wait", () => {
    expect(conflict(listing("12 High St", "3121"), listing("12 High Street", "3000"))).toBe(false);
  });

  it("the same street line and postcode, or one side without a postcode: they wait", () => {
    expect(conflict(listing("12 High St", "3121"), listing("12 High Street", "3121", "Melbourne"))).toBe(true);
    expect(conflict(listing("12 High St", "3121"), listing("12 High Street", null))).toBe(true);
    expect(conflict(listing("12 High St", null), listing("12 High Street", "3000"))).toBe(true);
    expect(conflict(listing("12 High St", null), listing("12 High Street", null, "Melbourne"))).toBe(true);
  });

  it("another house number or unit never waits", () => {
    expect(conflict(listing("12 High St", null), listing("14 High St", null))).toBe(false);
    expect(conflict(listing("Unit 2, 12 High St", null), listing("Unit 3, 12 High St", null))).toBe(false);
  });

  it("a round takes each key once, exclusively where any item wants it so", () => {
    const keys = mergeLocks([
      ...addressLocks(listing("12 High St", "3121"), "h"),
      ...addressLocks(listing("12 High St", null), "h"),
    ]);
    expect(keys.filter((k) => k.shared)).toEqual([]);
    expect(keys).toHaveLength(2);
  });

  it("an item without a street line locks its address hash", () => {
    const coarse = toListing(
      IngestItemSchema.parse(sampleItem({ address: { city: "Richmond", state: "VIC", country: "AU" }, location: undefined })),
    );
    expect(addressLocks(coarse, "abc")).toEqual([{ key: "h:abc", shared: false }]);
    expect(addressLocks(coarse, null)).toEqual([]);
  });
});
