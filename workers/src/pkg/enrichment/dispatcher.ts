/**
 * The enrichment dispatcher (consumer of `property-enrichment`). For each request:
 *   phase 1  the connector owning the listing re-scrapes it (`enrich`);
 *   phase 2  still-missing fields are gap-filled by same-country connectors that search by address;
 *   then     a property still without coordinates is geocoded (here, never inline in ingest);
 * The dispatcher writes nothing itself. The re-scraped listing is written through the ingest pipeline
 * (`ingestItems`: same validation, merge rules and history events as every other write); the gap-fill
 * and geocoded values, which only fill empty fields, the bookkeeping (`enriched_at`, `source_misses`,
 * `missing_fields`) and a listing gone at its source are written by the ingest module too
 * (pkg/ingest/enrichment.ts), which announces every change through `propertiesChanged`.
 *
 * Outcomes per message: ack when done, when no connector owns it ("not mine"), and when the listing
 * is gone (counted in `source_misses`; after the configured number it becomes `off_market`). Any
 * thrown error is transient: `retry` with a doubling delay; after the queue's `max_retries` the
 * message goes to `property-enrichment-dlq` (dead-letters.ts). The error is kept in Redis for the
 * dead-letter consumer to record as the reason.
 *
 * Redelivery is harmless: a message whose `queued_at` is older than the property's `enriched_at` has
 * been handled already and is acked without work; everything else writes idempotently.
 */

import { type EnrichmentRequest, EnrichmentRequestSchema, type KeyField } from "../../../../connectors/contract/enrichment";
import type { Env } from "../../env";
import { type CountryCode, geocode } from "../geocode";
import { ingestItems } from "../ingest";
import { type EnrichmentTarget, enrichmentTarget, recordEnrichment, recordSourceMiss } from "../ingest/enrichment";
import { log } from "../log";
import type { QueueConsumer } from "../queues/dispatch";
import { getRedis } from "../redis";
import { enrichmentConfig, retryDelaySeconds } from "./config";
import type { ConnectorRegistry, ListingFields } from "./connectors";
import { recordDeadLetter } from "./dead-letters";

export type DispatcherDeps = {
  /** The connectors to route to; a function when they need the bindings (fetcher settings, Redis). */
  registry: ConnectorRegistry | ((env: Env) => ConnectorRegistry);
};

function registryFor(deps: DispatcherDeps, env: Env): ConnectorRegistry {
  return typeof deps.registry === "function" ? deps.registry(env) : deps.registry;
}

export type MessageOutcome = "enriched" | "gone" | "already_done" | "property_missing" | "invalid";

/** Which key fields a set of values provides. */
function providedBy(f: ListingFields | null): Set<KeyField> {
  const out = new Set<KeyField>();
  if (!f) return out;
  if (f.location) out.add("location");
  if (f.bedrooms != null) out.add("bedrooms");
  if (f.bathrooms != null) out.add("bathrooms");
  if (f.area_living_sqm != null) out.add("area_living_sqm");
  if (f.price_minor != null) out.add("price");
  if (f.images && f.images.length > 0) out.add("images");
  return out;
}

function missingNow(p: EnrichmentTarget): Set<KeyField> {
  const out = new Set<KeyField>();
  if (!p.has_location) out.add("location");
  if (p.bedrooms == null) out.add("bedrooms");
  if (p.bathrooms == null) out.add("bathrooms");
  if (p.area_living_sqm == null) out.add("area_living_sqm");
  if (p.price_minor == null) out.add("price");
  if (!p.has_images) out.add("images");
  return out;
}

/** Copies the fields of `from` that are still missing into `into`; returns what it filled. */
function fillMissing(into: ListingFields, from: ListingFields, missing: Set<KeyField>): KeyField[] {
  const filled: KeyField[] = [];
  const take = (field: KeyField, apply: () => void, present: boolean) => {
    if (missing.has(field) && present) {
      apply();
      missing.delete(field);
      filled.push(field);
    }
  };
  take("location", () => (into.location = from.location), !!from.location);
  take("bedrooms", () => (into.bedrooms = from.bedrooms), from.bedrooms != null);
  take("bathrooms", () => (into.bathrooms = from.bathrooms), from.bathrooms != null);
  take("area_living_sqm", () => (into.area_living_sqm = from.area_living_sqm), from.area_living_sqm != null);
  take(
    "price",
    () => {
      into.price_minor = from.price_minor;
      into.currency = from.currency;
    },
    from.price_minor != null,
  );
  take("images", () => (into.images = from.images), !!from.images && from.images.length > 0);
  return filled;
}

/**
 * Phase 1's write: the re-scraped item goes through ingest like any crawled item. An item ingest
 * refuses is an error (retried, then dead-lettered with the reason): the site changed under the
 * connector, which someone must look at.
 */
async function ingestRescrape(env: Env, req: EnrichmentRequest, item: unknown): Promise<void> {
  const report = await ingestItems(env, [item], { source: req.source });
  const result = report.results[0];
  if (!result || result.outcome === "invalid") {
    const why = (result?.errors ?? []).map((e) => `${e.path}: ${e.message}`).join("; ");
    throw new Error(`re-scraped listing refused by ingest: ${why || "no result"}`);
  }
  if (result.id && result.id !== req.property_id) {
    // Ingest identified the listing with another property (it moved, or the records were merged).
    log(undefined, "warn", {
      msg: "re-scrape merged into another property",
      property_id: req.property_id,
      merged_into: result.id,
    });
  }
}

export async function enrichOne(env: Env, deps: DispatcherDeps, body: unknown): Promise<MessageOutcome> {
  const parsed = EnrichmentRequestSchema.safeParse(body);
  if (!parsed.success) return "invalid";
  const req = parsed.data;
  const config = enrichmentConfig(env);
  const property = await enrichmentTarget(env, req.property_id, req.queued_at);
  if (!property) return "property_missing";
  if (property.handled) return "already_done";

  // Phase 1: the owner re-scrapes the listing.
  const registry = registryFor(deps, env);
  const owner = registry.ownerOf(req.source, req.source_url);
  let found: ListingFields | null = null;
  if (owner?.enrich && req.source_url) {
    const outcome = await owner.enrich(req);
    if (outcome.kind === "gone") {
      await recordSourceMiss(env, {
        propertyId: req.property_id,
        queuedAt: req.queued_at,
        offMarketAfter: config.offMarketAfterMisses,
        source: req.source,
      });
      return "gone";
    }
    if (outcome.kind === "found") {
      found = outcome.fields;
      await ingestRescrape(env, req, outcome.item);
    }
  }

  // Phase 2: gap-fill what is still missing from same-country address searchers (best effort).
  const missing = missingNow(property);
  for (const f of providedBy(found)) missing.delete(f);
  const fill: ListingFields = {};
  let locationPrecision: string | null = null;
  if (missing.size > 0 && req.address) {
    for (const searcher of registry.addressSearchers(req.country)) {
      if (searcher === owner || missing.size === 0) continue;
      try {
        const found = await searcher.searchByAddress?.({ address: req.address, city: req.city, country: req.country });
        if (found && fillMissing(fill, found, missing).includes("location")) locationPrecision = "source";
      } catch (err) {
        log(undefined, "warn", { msg: "gap-fill search failed", source: searcher.source, error: (err as Error).message });
      }
    }
  }

  // Geocode what still has no coordinates (waiting briefly for the shared provider budget).
  if (missing.has("location") && req.address) {
    const query =
      req.city && !req.address.toLowerCase().includes(req.city.toLowerCase()) ? `${req.address}, ${req.city}` : req.address;
    const result = await geocode(env, query, {
      country: (["AU", "NZ", "US", "GB", "MT"].includes(req.country) ? req.country : undefined) as CountryCode | undefined,
      waitForBudgetMs: config.geocodeWaitMs,
    });
    if (result.status === "OK" && result.location && result.precision) {
      fill.location = result.location;
      locationPrecision = result.precision;
      missing.delete("location");
    }
  }

  await recordEnrichment(env, {
    propertyId: req.property_id,
    source: req.source,
    rescraped: found !== null,
    fill,
    locationPrecision,
    missingFields: [...missing],
  });
  return "enriched";
}

/**
 * Where the last error of a request is kept: by property and claim time (which survive the move to
 * the dead-letter queue whatever happens to message ids), else by message id.
 */
export function errorKey(message: { id: string; body: unknown }): string {
  const b = message.body as Partial<EnrichmentRequest> | null;
  const id = b?.property_id && b.queued_at ? `${b.property_id}:${b.queued_at}` : message.id;
  return `pillow:enrichment:error:${id}`;
}

/** The queue consumer, with the connector registry (and, in tests, the submit function) it routes to. */
export function createEnrichmentConsumer(deps: DispatcherDeps): QueueConsumer {
  return async (batch, env) => {
    const config = enrichmentConfig(env);
    // One registry (so one polite fetcher, pacing per host) for the whole batch.
    const batchDeps: DispatcherDeps = { ...deps, registry: registryFor(deps, env) };
    for (const message of batch.messages) {
      try {
        const outcome = await enrichOne(env, batchDeps, message.body);
        if (outcome === "invalid") {
          // Can never succeed: record it now rather than retrying it into the dead-letter queue.
          await recordDeadLetter(env, { id: message.id, body: message.body, attempts: message.attempts }, "invalid message");
        }
        message.ack();
      } catch (err) {
        const reason = (err as Error).message || String(err);
        await getRedis(env)
          .set(errorKey(message), reason.slice(0, 1000), { ex: 14 * 24 * 3600 })
          .catch(() => {});
        log(undefined, "warn", {
          msg: "enrichment failed; retrying",
          message_id: message.id,
          attempts: message.attempts,
          error: reason,
        });
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts, config.retryBaseSeconds) });
      }
    }
  };
}

/** The reason a message last failed, as recorded by the consumer (for the dead-letter consumer). */
export async function lastError(env: Env, message: { id: string; body: unknown }): Promise<string | null> {
  try {
    return await getRedis(env).get<string>(errorKey(message));
  } catch {
    return null;
  }
}
