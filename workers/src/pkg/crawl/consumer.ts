/**
 * The `crawl-tasks` consumer: fetch, parse, ingest. Items go straight into the ingest pipeline
 * (`ingestItems`, the one path every write takes: validation, merge rules, history, the change hooks),
 * as the enrichment dispatcher's re-scrapes do. Messages run one after another (the fetcher paces
 * per host anyway, and this keeps the invocation under the 6-connection limit). A transient failure
 * (site down, 429, database unavailable) retries the message with a growing delay; after `max_retries` the
 * queue moves it to `crawl-tasks-dlq`. A permanent failure (page does not parse, robots.txt forbids,
 * unknown connector) is recorded in `failed_enrichments` at once: nothing is dropped silently.
 */

import type { ConnectorContext } from "../../../../connectors/contract/connector";
import { CrawlError } from "../../../../connectors/contract/errors";
import type { IngestItem } from "../../../../connectors/contract/item";
import type { PoliteFetcher } from "../../../../connectors/core/fetcher";
import { checkItem, newStats } from "../../../../connectors/core/run";
import { findConnector } from "../../../../connectors/registry";
import type { Env } from "../../env";
import { getDb, schema } from "../db";
import { type IngestReport, ingestItems } from "../ingest";
import { log } from "../log";
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

/** Items per `ingestItems` call: the batch endpoint's limit, so one transaction stays as small as an API batch. */
const INGEST_CHUNK = 500;

/** Ingests in order (chunks one after another, so repeat sales keep their date order); one report. */
async function ingestInChunks(env: Env, items: IngestItem[]): Promise<IngestReport> {
  const report: IngestReport = {
    results: [],
    totals: { received: 0, created: 0, merged: 0, unchanged: 0, invalid: 0 },
  };
  for (let offset = 0; offset < items.length; offset += INGEST_CHUNK) {
    const part = await ingestItems(env, items.slice(offset, offset + INGEST_CHUNK));
    for (const r of part.results) report.results.push({ ...r, index: r.index + offset });
    for (const k of Object.keys(report.totals) as Array<keyof IngestReport["totals"]>) report.totals[k] += part.totals[k];
  }
  return report;
}

/** Runs one task; returns the number of items ingested. Throws CrawlError, or what ingest throws (transient). */
export async function runCrawlTask(task: CrawlTask, env: Env, fetcher: PoliteFetcher): Promise<number> {
  const connector = findConnector(task.connector);
  const cctx = contextFor(task, fetcher);
  if (!connector) return 0;
  const stats = newStats(connector.name, task.kind === "search" ? task.location : task.url);

  const items: IngestItem[] = [];
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
  const report = await ingestInChunks(env, items);
  // Items ingest refused are recorded with its reasons, like any other failure.
  const reasonOf = (r: IngestReport["results"][number]) => (r.errors ? JSON.stringify(r.errors) : "refused by ingest");
  const refused = report.results.filter((x) => x.outcome === "invalid");
  for (const r of refused) {
    const item = items[r.index];
    await recordCrawlFailure(env, { ...task, url: item?.source_url }, `invalid: ${reasonOf(r)}`, 0);
  }
  log(undefined, "info", {
    msg: "crawl task done",
    task: task.kind,
    connector: task.connector,
    created: report.totals.created,
    merged: report.totals.merged,
    unchanged: report.totals.unchanged,
    invalid: report.totals.invalid,
    first_invalid: refused[0] ? reasonOf(refused[0]) : undefined,
  });
  return items.length;
}

export async function consumeCrawlTasks(batch: MessageBatch<unknown>, env: Env, _ctx?: ExecutionContext): Promise<void> {
  const fetcher = crawlFetcher(env);
  for (const message of batch.messages) {
    const parsed = CrawlTaskSchema.safeParse(message.body);
    if (!parsed.success) {
      await recordCrawlFailure(env, message.body, `malformed crawl task: ${parsed.error.issues[0]?.message}`, message.attempts);
      message.ack();
      continue;
    }
    try {
      await runCrawlTask(parsed.data, env, fetcher);
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
