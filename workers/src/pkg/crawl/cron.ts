/**
 * The discovery cron job: turns the configured schedule into crawl tasks on the queue and does nothing
 * else (no fetching inside the scheduled handler).
 */
import type { Env } from "../../env";
import { log } from "../log";
import { crawlSchedule } from "./config";
import type { CrawlTask } from "./tasks";

/** `sendBatch` takes at most 100 messages. */
const SEND_BATCH = 100;

export async function enqueueScheduledCrawls(controller: Pick<ScheduledController, "scheduledTime">, env: Env): Promise<number> {
  const queue = env.CRAWL_QUEUE;
  if (!queue) throw new Error("CRAWL_QUEUE binding is missing");
  const run = new Date(controller.scheduledTime).toISOString();
  const tasks: CrawlTask[] = crawlSchedule(env).flatMap((job) =>
    Array.from({ length: job.pages }, (_, i) => ({
      kind: "search" as const,
      connector: job.connector,
      location: job.location,
      page: i + 1,
      max: job.max,
      base_url: job.base_url,
      settings: job.settings,
      run,
    })),
  );
  for (let i = 0; i < tasks.length; i += SEND_BATCH) {
    await queue.sendBatch(tasks.slice(i, i + SEND_BATCH).map((body) => ({ body, contentType: "json" as const })));
  }
  log(undefined, "info", { msg: "crawl tasks enqueued", run, tasks: tasks.length });
  return tasks.length;
}
