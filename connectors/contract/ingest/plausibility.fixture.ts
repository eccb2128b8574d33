/** Incoming items through the pipeline's own reading (read-item.ts), for the plausibility tests. */
import { readIngestItem } from "./read-item";

/** A Vancouver house for sale, as a connector would send it; `overrides` replaces top-level fields. */
export function vancouverItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: "example-portal",
    source_listing_id: "r3088944",
    source_url: "https://portal.example/listing/r3088944",
    property_type: "house",
    listing_type: "sale",
    status: "active",
    price: 1_898_000,
    currency: "CAD",
    address: { street: "2748 E 23rd Ave", city: "Vancouver", state: "BC", postal_code: "V5R 1A8", country: "CA" },
    location: { lat: 49.2495, lng: -123.048 },
    ...overrides,
  };
}

/** What ingest makes of a raw item: the listing it would store and the warnings it would answer with. */
export function ingestPlausibility(raw: Record<string, unknown>) {
  const read = readIngestItem(raw);
  // The plausibility tests are about valid items: an invalid one is a mistake in the test itself.
  if (!read.success) throw read.error;
  return { listing: read.listing, warnings: read.warnings };
}
