/**
 * The enrichment queue's message, which is also what a connector's `enrich` receives (contract/connector.ts),
 * and the key fields whose absence makes a property worth enriching.
 */
import { z } from "@hono/zod-openapi";

/** Key fields, in the words the scheduler, the dispatcher, the admin counts and `missing_fields` use. */
export const KEY_FIELDS = ["location", "bedrooms", "bathrooms", "area_living_sqm", "price", "images"] as const;
export type KeyField = (typeof KEY_FIELDS)[number];

export const EnrichmentRequestSchema = z.object({
  property_id: z.uuid(),
  /** Source name of the listing to re-scrape (the connector that owns it). */
  source: z.string().min(1),
  /** Listing URL at the source; empty when the property came from a dataset without pages. */
  source_url: z.string(),
  country: z.string().length(2),
  missing_fields: z.array(z.string()),
  /** One-line address and town, for gap-fill searches and geocoding. */
  address: z.string(),
  city: z.string(),
  /**
   * When the scheduler claimed the property (database clock). A delivery is stale — already handled —
   * once the property's `enriched_at` has passed it, which makes redelivery harmless.
   */
  queued_at: z.iso.datetime({ offset: true }),
});

export type EnrichmentRequest = z.infer<typeof EnrichmentRequestSchema>;
