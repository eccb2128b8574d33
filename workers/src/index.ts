/**
 * The data Worker ("pillow", wrangler.toml): the Mill's HTTP API, the property pages' share metadata,
 * the cron jobs, the queue consumers and the live-updates hub. It is placed next to Neon and Upstash
 * (`[placement]`) and reached only through the front Worker's service binding (workers/src/front.ts),
 * which answers static assets and edge-cache hits where the reader is.
 */
import { app } from "./app";
import type { Env } from "./env";
import { consumeCrawlTasks, enqueueScheduledCrawls, storeDeadCrawlTasks } from "./pkg/crawl";
import { type CronJob, dispatchCron } from "./pkg/cron/dispatch";
import { enrichmentConsumer, enrichmentCron, enrichmentDeadLetterConsumer } from "./pkg/enrichment";
import { refreshPlaces } from "./pkg/places/refresh";
import { dispatchQueue, type QueueConsumer } from "./pkg/queues/dispatch";
import { consumeWebhookDeadLetters } from "./pkg/saved-searches/dead-letter";
import { consumeWebhookDeliveries } from "./pkg/saved-searches/deliver";
import { storeDeadMatchMessages } from "./pkg/saved-searches/match-dead-letters";
import { consumeMatching } from "./pkg/saved-searches/match-queue";
import { requeueStaleDeliveries } from "./pkg/saved-searches/requeue";
import { ROLLUP_REFRESH_CRON, refreshStatsRollup } from "./pkg/search/stats-rollup";
import { foldTileCells } from "./pkg/search/tile-cells-fold";

/** Queue name (prefix) → consumer. Each feature registers its own. */
export const queueConsumers: Record<string, QueueConsumer> = {
  "property-enrichment": enrichmentConsumer,
  "property-enrichment-dlq": enrichmentDeadLetterConsumer,
  "crawl-tasks": consumeCrawlTasks,
  "crawl-tasks-dlq": storeDeadCrawlTasks,
  "saved-search-matching": consumeMatching,
  "saved-search-matching-dlq": storeDeadMatchMessages,
  "webhook-deliveries": consumeWebhookDeliveries,
  "webhook-deliveries-dlq": consumeWebhookDeadLetters,
};

/** Cron expression (as in wrangler.toml) → jobs. */
export const cronJobs: Record<string, CronJob[]> = {
  "0 * * * *": [enrichmentCron],
  "30 */6 * * *": [async (controller, env) => void (await enqueueScheduledCrawls(controller, env))],
  [ROLLUP_REFRESH_CRON]: [
    (_controller, env) => refreshStatsRollup(env),
    (_controller, env) => refreshPlaces(env),
    (_controller, env) => foldTileCells(env),
    async (_controller, env) => void (await requeueStaleDeliveries(env)),
  ],
};

export { LiveHub } from "./pkg/live/hub";

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => app.fetch(request, env, ctx),
  queue: (batch, env, ctx) => dispatchQueue(queueConsumers, batch, env, ctx),
  scheduled: (controller, env, ctx) => dispatchCron(cronJobs, controller, env, ctx),
} satisfies ExportedHandler<Env>;
