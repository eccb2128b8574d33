/** Browser-test data written through the API (POST /api/v1/properties), so the caches see the change. */
import { inject } from "vitest";
import { origin } from "./browser";

export type TestListing = Record<string, unknown> & { source_listing_id: string };

export async function ingest(item: TestListing): Promise<string> {
  const source = "browser-issue22.example";
  const res = await fetch(`${origin()}/api/v1/properties`, {
    method: "POST",
    headers: { authorization: `Bearer ${inject("siteServiceToken")}`, "content-type": "application/json" },
    body: JSON.stringify({
      source,
      source_url: `https://${source}/listings/${item.source_listing_id}`,
      listing_type: "sale",
      property_type: "house",
      ...item,
    }),
    signal: AbortSignal.timeout(15_000),
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`ingest → ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: { id: string } }).data.id;
}
