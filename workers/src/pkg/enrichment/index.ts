import type { CronJob } from "../cron/dispatch";
import { locateFromGazetteer } from "../geocode/backfill";
import { log } from "../log";
import { createDeadLetterConsumer } from "./dead-letters";
import { createEnrichmentConsumer, lastError } from "./dispatcher";
import { productionRegistry } from "./registry";
import { scheduleEnrichment } from "./scheduler";

export {
  type EnrichmentRequest,
  EnrichmentRequestSchema,
  KEY_FIELDS,
  type KeyField,
} from "../../../../connectors/contract/enrichment";
export { enrichmentConfig, retryDelaySeconds } from "./config";
export {
  type AddressQuery,
  type ConnectorRegistry,
  connectorRegistry,
  type EnrichmentConnector,
  type EnrichOutcome,
  type ListingFields,
} from "./connectors";
export { createDeadLetterConsumer, ENRICHMENT_QUEUE_NAME, recordDeadLetter } from "./dead-letters";
export { createEnrichmentConsumer, type DispatcherDeps, enrichOne, lastError, type MessageOutcome } from "./dispatcher";
export { type ScheduleResult, scheduleEnrichment } from "./scheduler";

/**
 * The hourly cron job: first the gazetteer locates what it can (set-based, no geocoder calls), so the
 * scheduler's "no location first" order is left with what only a geocoder or the source can place.
 */
export const enrichmentCron: CronJob = async (_controller, env) => {
  try {
    await locateFromGazetteer(env);
  } catch (err) {
    log(undefined, "error", { msg: "gazetteer backfill failed; scheduling enrichment anyway", error: (err as Error).message });
  }
  await scheduleEnrichment(env);
};

export const enrichmentConsumer = createEnrichmentConsumer({ registry: productionRegistry });
export const enrichmentDeadLetterConsumer = createDeadLetterConsumer(lastError);
export { adaptSiteConnector, type EnrichingConnector, itemFields } from "./site-adapter";
export { enrichmentStats, failedByQueue, type SourceStats } from "./stats";
