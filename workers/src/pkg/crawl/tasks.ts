/**
 * Crawl tasks: what travels on the `crawl-tasks` queue. A `search` task is one search-result page of
 * one job; a `scrape` task is one listing page its search page could not fully describe. One task is
 * a handful of subrequests, so a consumer batch (≤ 5 messages, sequential) stays far inside Workers
 * limits on subrequests, CPU and simultaneous connections.
 */
import { z } from "zod";

const common = {
  connector: z.string().min(1),
  base_url: z.url().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  /** Cron tick that produced the task (for logs and dead-letter inspection). */
  run: z.string().optional(),
};

export const CrawlTaskSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("search"),
    location: z.string(),
    page: z.number().int().min(1),
    max: z.number().int().min(1),
    ...common,
  }),
  z.object({ kind: z.literal("scrape"), url: z.url(), ...common }),
]);

export type CrawlTask = z.infer<typeof CrawlTaskSchema>;
