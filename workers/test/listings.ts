/** Listings for ingest tests: valid by default, unique per call so test files can share the database. */
import { getDb } from "../src/pkg/db";
import type { IngestItemInput } from "../src/pkg/ingest";
import { bearerFor, testEnv } from "./helpers";

/** A street name no other test uses: letters only, so address parsing treats it as a name. */
export function uniqueStreetName(): string {
  const letters = [...crypto.getRandomValues(new Uint8Array(9))].map((b) => String.fromCharCode(97 + (b % 26))).join("");
  return `Zz${letters}`;
}

export function sampleItem(overrides: Partial<IngestItemInput> = {}): IngestItemInput & { source_listing_id: string } {
  const id = crypto.randomUUID().slice(0, 12);
  return {
    source: "test.example",
    source_listing_id: id,
    source_url: `https://test.example/listing/${id}`,
    property_type: "house",
    listing_type: "sale",
    status: "active",
    title: "Sunny family home",
    description: "Three bedrooms close to the park.",
    price: 850000,
    currency: "AUD",
    bedrooms: 3,
    bathrooms: 2,
    parking_spaces: 1,
    area_living_sqm: 150,
    area_land_sqm: 450,
    year_built: 1995,
    address: { street: `12 ${uniqueStreetName()} St`, city: "Surry Hills", state: "NSW", postal_code: "2010", country: "AU" },
    location: { lat: -33.8861, lng: 151.2111 },
    listed_at: "2026-10-01T09:00:00Z",
    images: [`https://img.test.example/${id}/1.jpg`, `https://img.test.example/${id}/2.jpg`],
    features: ["garden"],
    ...overrides,
  } as IngestItemInput & { source_listing_id: string };
}

let serviceAuth: Promise<string> | undefined;
/** One service token per test file. */
export function serviceBearer(): Promise<string> {
  serviceAuth ??= bearerFor("service", { service: "ingest-tests" });
  return serviceAuth;
}

export async function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const { call } = await import("./helpers");
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: await serviceBearer(), ...headers },
    body: JSON.stringify(body),
  });
}

export function db() {
  return getDb(testEnv);
}
