/**
 * One discovery run: page through search results, scrape listings the search page did not fully
 * describe, validate, then submit (or, in a dry run, only collect). Every failure is counted with its
 * URL and the run goes on; the stats are the per-run report the CLI prints (docs/connectors.md, "Run stats").
 */
import type { Connector, ConnectorContext, DiscoverOptions } from "../contract/connector";
import { asCrawlError, CrawlError, type CrawlErrorKind } from "../contract/errors";
import { type IngestItem, IngestItemSchema } from "../contract/item";
import type { MillClient, SubmitSummary } from "./mill-client";

export type RunStats = {
  connector: string;
  location: string;
  pagesFetched: number;
  requests: number;
  listingsFound: number;
  submitted: number;
  created: number;
  merged: number;
  unchanged: number;
  invalid: number;
  errors: Partial<Record<CrawlErrorKind, number>>;
  failures: Array<{ url: string; kind: CrawlErrorKind; message: string }>;
  durationMs: number;
};

export type RunOptions = DiscoverOptions & {
  dryRun?: boolean;
  /** Items per submission (the Mill accepts ≤ 500). */
  batchSize?: number;
  onProgress?: (event: ProgressEvent) => void;
};

export type ProgressEvent =
  | { kind: "page"; page: number; listings: number }
  | { kind: "item"; item: IngestItem; count: number }
  | { kind: "error"; error: CrawlError }
  | { kind: "submitted"; summary: SubmitSummary };

export function newStats(connector: string, location: string): RunStats {
  return {
    connector,
    location,
    pagesFetched: 0,
    requests: 0,
    listingsFound: 0,
    submitted: 0,
    created: 0,
    merged: 0,
    unchanged: 0,
    invalid: 0,
    errors: {},
    failures: [],
    durationMs: 0,
  };
}

export function recordError(stats: RunStats, error: CrawlError): void {
  stats.errors[error.kind] = (stats.errors[error.kind] ?? 0) + 1;
  if (stats.failures.length < 200) stats.failures.push({ url: error.url, kind: error.kind, message: error.message });
}

export function addSummary(stats: RunStats, summary: SubmitSummary): void {
  stats.submitted += summary.results.length;
  stats.created += summary.created;
  stats.merged += summary.merged;
  stats.unchanged += summary.unchanged;
  stats.invalid += summary.invalid;
}

/**
 * Validates with the Mill's ingest schema; an invalid item becomes an "invalid" error with its URL.
 * A valid item is returned as it is (the Mill parses it itself), not as the schema's parsed output.
 */
export function checkItem(item: IngestItem, stats: RunStats): IngestItem | null {
  const parsed = IngestItemSchema.safeParse(item);
  if (parsed.success) return item;
  const where = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  recordError(stats, new CrawlError("invalid", item.source_url ?? item.source_listing_id, `invalid item: ${where}`));
  return null;
}

/** Walks search pages and listing pages; yields valid items, counting everything in `stats`. */
export async function* discover(
  connector: Connector,
  ctx: ConnectorContext,
  options: RunOptions,
  stats: RunStats,
): AsyncGenerator<IngestItem> {
  const seen = new Set<string>();
  let count = 0;
  for (let page = 1; page <= options.pages && count < options.max; page++) {
    let result: Awaited<ReturnType<Connector["searchPage"]>>;
    try {
      result = await connector.searchPage(ctx, options.location, page);
    } catch (err) {
      const e = asCrawlError(err, `${connector.name}:${options.location}#${page}`);
      recordError(stats, e);
      options.onProgress?.({ kind: "error", error: e });
      if (e.kind === "robots_disallowed" || e.kind === "unsafe_url") break;
      continue;
    }
    stats.pagesFetched++;
    for (const e of result.errors ?? []) {
      recordError(stats, e);
      options.onProgress?.({ kind: "error", error: e });
    }
    options.onProgress?.({ kind: "page", page, listings: result.listings.length });
    for (const listing of result.listings) {
      if (count >= options.max) break;
      // Featured listings repeat on every page: one per run.
      const key = listing.item ? `${listing.item.source}:${listing.item.source_listing_id}` : listing.url;
      if (seen.has(key)) continue;
      seen.add(key);
      stats.listingsFound++;
      let item = listing.item;
      if (!item) {
        try {
          item = await connector.scrape(ctx, listing.url);
        } catch (err) {
          const e = asCrawlError(err, listing.url);
          recordError(stats, e);
          options.onProgress?.({ kind: "error", error: e });
          continue;
        }
      }
      const valid = checkItem(item, stats);
      if (!valid) continue;
      count++;
      options.onProgress?.({ kind: "item", item: valid, count });
      yield valid;
    }
    if (!result.hasMore) break;
  }
}

/** A whole run: discover, then submit in batches unless it is a dry run. Returns items and stats. */
export async function runConnector(
  connector: Connector,
  ctx: ConnectorContext,
  options: RunOptions,
  mill?: MillClient,
): Promise<{ items: IngestItem[]; stats: RunStats }> {
  const started = Date.now();
  const stats = newStats(connector.name, options.location);
  const items: IngestItem[] = [];
  let pending: IngestItem[] = [];
  const batchSize = options.batchSize ?? 100;
  const flush = async () => {
    if (options.dryRun || !mill || pending.length === 0) return;
    try {
      const summary = await mill.submit(pending);
      addSummary(stats, summary);
      options.onProgress?.({ kind: "submitted", summary });
    } catch (err) {
      recordError(stats, new CrawlError("submit", "mill:batch", (err as Error).message));
    }
    pending = [];
  };
  for await (const item of discover(connector, ctx, options, stats)) {
    items.push(item);
    pending.push(item);
    if (pending.length >= batchSize) await flush();
  }
  await flush();
  stats.requests = ctx.fetcher.requests;
  stats.durationMs = Date.now() - started;
  return { items, stats };
}
