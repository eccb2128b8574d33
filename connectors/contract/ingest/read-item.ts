/**
 * One incoming item, read the way ingest reads it, in one place for everything that does: the pipeline's
 * prepare step (workers/src/pkg/ingest/pipeline.ts), saved-page mode (connectors/core/saved-pages.ts)
 * and the plausibility tests. The price is read first (price.ts), once, and what its text says about the
 * currency travels with the item to plausibility's currency rule (plausibility.ts), since validation
 * turns the text into a number; then the item is validated (schema.ts), normalised (listing.ts) and
 * checked for plausibility (docs/ingest.md, "Plausibility").
 */
import type { z } from "@hono/zod-openapi";
import { type Listing, toListing } from "./listing";
import { checkPlausibility, type PlausibilityWarning } from "./plausibility";
import { readItemPrice } from "./price";
import { type IngestItem, IngestItemSchema } from "./schema";

export type ReadIngestItem =
  | {
      success: true;
      /** The item as validated, its price already read. */
      item: IngestItem;
      /** The currency the item's own price text names, null for a number or a bare "$" (price.ts). */
      priceTextCurrency: string | null;
      /** The listing to store: plausibility's consequences applied (a point dropped, a price withheld). */
      listing: Listing;
      warnings: PlausibilityWarning[];
    }
  | { success: false; error: z.ZodError };

export function readIngestItem(raw: unknown): ReadIngestItem {
  const { item, priceTextCurrency } = readItemPrice(raw);
  const parsed = IngestItemSchema.safeParse(item);
  if (!parsed.success) return { success: false, error: parsed.error };
  const { listing, warnings } = checkPlausibility(toListing(parsed.data), { priceTextCurrency });
  return { success: true, item: parsed.data, priceTextCurrency, listing, warnings };
}
