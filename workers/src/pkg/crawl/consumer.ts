/**
 * The `crawl-tasks` consumer: fetch, parse, submit. Messages run one after another (the fetcher paces
 * per host anyway, and this keeps the invocation under the 6-connection limit). A transient failure
 * (site down, 429, Mill unavailable) retries the message with a growing delay; after `max_retries` the
 * queue moves it to `crawl-tasks-dlq`. A permanent failure (page does not parse, robots.txt forbids,
 * unknown connector) is recorded in `failed_enrichments` at once: nothing is dropped silently.
 */
import type { ConnectorContext, PoliteFetcher } from "../../../../connectors/core";
import { CrawlError } from "../../../../connectors/core/errors";
import { MillClient } from "../../../../connectors/core/mill-client";
import { checkItem, newStats } from "../../../../connectors/core/run";
import { findConnector } from "../../../../connectors/registry";
import { app } from "../../app";
import type { Env } from "../../env";
import { getDb, schema } from "../db";
import { log } from "../log";
import { crawlSettings } from "./config";
import { crawlFetcher } from "./fetcher";
import { type CrawlTask, CrawlTaskSchema } from "./tasks";

export { crawlFetcher };

const MAX_RETRY_DELAY_SECONDS = 3_600;

export function retryDelaySeconds(attempts: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, 30 * 2 ** Math.max(0, attempts - 1));
}

export async function recordCrawlFailure(env: Env, message: unknown, reason: string, attempts: number): Promise<void> {
  // The connector's domain as `source`, so the enrichment admin counts (pkg/enrichment/stats.ts) show
  // crawl failures, and layout changes, beside that source's properties.
  const name = message && typeof message === "object" ? (message as { connector?: unknown }).connector : undefined;
  const domain = typeof name === "string" ? findConnector(name)?.domains[0] : undefined;
  const body = domain && message && typeof message === "object" ? { source: domain, ...(message as object) } : message;
  await getDb(env)
    .insert(schema.failedEnrichments)
    .values({ queue: "crawl", message: body, reason: reason.slice(0, 2000), attempts });
}

function contextFor(task: CrawlTask, fetcher: PoliteFetcher): ConnectorContext {
  const connector = findConnector(task.connector);
  if (!connector) throw new CrawlError("invalid", task.connector, `unknown connector "${task.connector}"`);
  return { fetcher, baseUrl: task.base_url ?? connector.defaultBaseUrl, settings: task.settings };
}

/** Runs one task; returns the number of items submitted. Throws CrawlError or MillSubmitError. */
export async function runCrawlTask(task: CrawlTask, env: Env, ctx: ExecutionContext, fetcher: PoliteFetcher): Promise<number> {
  const settings = crawlSettings(env);
  if (!settings.millToken) throw new Error("CRAWLER_MILL_TOKEN binding is missing: crawled items cannot be submitted");
  const connector = findConnector(task.connector);
  const cctx = contextFor(task, fetcher);
  if (!connector) return 0;
  const stats = newStats(connector.name, task.kind === "search" ? task.location : task.url);
  const mill = new MillClient({
    baseUrl: "http://pillow.internal",
    token: settings.millToken,
    // Same Worker: the request goes through the app (auth, validation, ingest) without leaving it.
    fetch: (request) => Promise.resolve(app.fetch(request, env, ctx)),
  });

  const items = [];
  if (task.kind === "search") {
    const page = await connector.searchPage(cctx, task.location, task.page);
    for (const e of page.errors ?? []) await recordCrawlFailure(env, { ...task, url: e.url }, `${e.kind}: ${e.message}`, 0);
    const scrapes: CrawlTask[] = [];
    for (const listing of page.listings.slice(0, task.max)) {
      if (listing.item) {
        const valid = checkItem(listing.item, stats);
        if (valid) items.push(valid);
      } else
        scrapes.push({
          kind: "scrape",
          connector: task.connector,
          url: listing.url,
          base_url: task.base_url,
          settings: task.settings,
          run: task.run,
        });
    }
    if (scrapes.length > 0) await env.CRAWL_QUEUE?.sendBatch(scrapes.map((body) => ({ body, contentType: "json" as const })));
  } else {
    const valid = checkItem(await connector.scrape(cctx, task.url), stats);
    if (valid) items.push(valid);
  }
  for (const f of stats.failures) await recordCrawlFailure(env, { ...task, url: f.url }, `${f.kind}: ${f.message}`, 0);
  if (items.length === 0) return 0;
  const summary = await mill.submit(items);
  // Items the Mill refused are recorded with its reasons, like any other failure.
  for (const r of summary.results.filter((x) => x.outcome === "invalid")) {
    const item = items[r.index];
    await recordCrawlFailure(env, { ...task, url: item?.source_url }, `invalid: ${r.reason ?? "refused by the Mill"}`, 0);
  }
  log(undefined, "info", {
    msg: "crawl task done",
    task: task.kind,
    connector: task.connector,
    created: summary.created,
    merged: summary.merged,
    unchanged: summary.unchanged,
    invalid: summary.invalid,
    first_invalid: summary.results.find((x) => x.outcome === "invalid")?.reason,
  });
  return items.length;
}

export async function consumeCrawlTasks(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const fetcher = crawlFetcher(env);
  for (const message of batch.messages) {
    const parsed = CrawlTaskSchema.safeParse(message.body);
    if (!parsed.success) {
      await recordCrawlFailure(env, message.body, `malformed crawl task: ${parsed.error.issues[0]?.message}`, message.attempts);
      message.ack();
      continue;
    }
    try {
      await runCrawlTask(parsed.data, env, ctx, fetcher);
      message.ack();
    } catch (err) {
      const permanent = err instanceof CrawlError && !err.transient;
      log(undefined, permanent ? "warn" : "error", {
        msg: "crawl task failed",
        error: (err as Error).message,
        attempts: message.attempts,
      });
      if (permanent) {
        await recordCrawlFailure(env, message.body, `${(err as CrawlError).kind}: ${(err as Error).message}`, message.attempts);
        message.ack();
      } else {
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }
  }
}

/** `crawl-tasks-dlq`: messages whose retries ran out are stored for inspection, never dropped. */
export async function storeDeadCrawlTasks(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await getDb(env)
    .insert(schema.failedEnrichments)
    .values(
      batch.messages.map((m) => ({
        queue: "crawl",
        message: m.body ?? null,
        reason: `retries exhausted on ${batch.queue.replace(/-dlq$/, "")}`,
        attempts: m.attempts,
      })),
    );
  batch.ackAll();
}
