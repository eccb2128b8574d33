/**
 * The Pillow Worker: the Mill's HTTP API (and the static site through the ASSETS binding), the cron
 * jobs and the queue consumers, in one deployable unit.
 */
import { app } from "./app";
import type { Env } from "./env";
import { consumeCrawlTasks, enqueueScheduledCrawls, storeDeadCrawlTasks } from "./pkg/crawl";
import { type CronJob, dispatchCron } from "./pkg/cron/dispatch";
import { enrichmentConsumer, enrichmentCron, enrichmentDeadLetterConsumer } from "./pkg/enrichment";
import { dispatchQueue, type QueueConsumer } from "./pkg/queues/dispatch";
import { ROLLUP_REFRESH_CRON, refreshStatsRollup } from "./pkg/search/stats-rollup";

/** Queue name (prefix) → consumer. Each feature registers its own. */
export const queueConsumers: Record<string, QueueConsumer> = {
  "property-enrichment": enrichmentConsumer,
  "property-enrichment-dlq": enrichmentDeadLetterConsumer,
  "crawl-tasks": consumeCrawlTasks,
  "crawl-tasks-dlq": storeDeadCrawlTasks,
};

/** Cron expression (as in wrangler.toml) → jobs. */
export const cronJobs: Record<string, CronJob[]> = {
  "0 * * * *": [enrichmentCron],
  "30 */6 * * *": [async (controller, env) => void (await enqueueScheduledCrawls(controller, env))],
  [ROLLUP_REFRESH_CRON]: [(_controller, env) => refreshStatsRollup(env)],
};

export { LiveHub } from "./pkg/live/hub";

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => dispatchQueue(queueConsumers, batch, env, ctx),
  scheduled: (controller, env, ctx) => dispatchCron(cronJobs, controller, env, ctx),
} satisfies ExportedHandler<Env>;
