/**
 * Saved-page mode (`npm run connector -- <connector> --from <file-or-folder>`): a connector's parsers
 * run on pages saved to disk, with no network at all, so anyone can check a connector against a page
 * that broke it. Each page is recognised by its content (a search page, else a listing page); hostile
 * pages (empty, binary, too large, truncated state, another site's page) are reported per page, and no
 * exception escapes.
 */

import type { Connector, ConnectorContext, PageFetcher } from "../contract/connector";
import { asCrawlError, CrawlError } from "../contract/errors";
import { readIngestItem } from "../contract/ingest/read-item";
import type { IngestItem } from "../contract/item";
import type { FetchedPage } from "./fetcher";

/** The fetcher's own body limit: a saved page larger than any page a run would accept is refused the same way. */
export const MAX_SAVED_PAGE_BYTES = 8 * 1024 * 1024;

export type PageReport = {
  file: string;
  /** What the page was recognised as. */
  kind: "search" | "listing" | null;
  listings: number;
  valid: number;
  warnings: string[];
  /** Why the page gave nothing (kind and message), when it did not. */
  error?: { kind: string; message: string };
};

/** Answers every request with the saved page: the connector's URL building runs, nothing is fetched. */
export class SavedPageFetcher implements PageFetcher {
  requests = 0;
  constructor(private readonly text: string) {}
  async get(url: string): Promise<FetchedPage> {
    return { url, status: 200, contentType: "text/html", text: this.text };
  }
  async getJson<T = unknown>(url: string): Promise<T> {
    try {
      return JSON.parse(this.text) as T;
    } catch (err) {
      throw new CrawlError("parse", url, `invalid JSON: ${(err as Error).message}`);
    }
  }
}

/** Whether bytes are text a browser would show: no NUL bytes and (almost) no invalid UTF-8. */
function decodeText(bytes: Uint8Array): string | null {
  const sample = bytes.subarray(0, 65_536);
  if (sample.includes(0)) return null;
  const text = new TextDecoder("utf-8").decode(bytes);
  const head = text.slice(0, 65_536);
  const bad = head.split("\uFFFD").length - 1;
  return bad > head.length / 100 ? null : text;
}

/** The address a page declares for itself (`<link rel=canonical>` or `og:url`), absolute http(s), or null. */
export function declaredUrl(text: string): URL | null {
  // Attributes in either order: `<link href="…" rel="canonical" />` is as common as the other way round.
  const attribute = (tag: string, name: string) => new RegExp(`\\s${name}=["']?([^"'\\s>]+)`, "i").exec(tag)?.[1];
  const tagWith = (element: string, test: RegExp) =>
    [...text.matchAll(new RegExp(`<${element}\\b[^>]*>`, "gi"))].map((m) => m[0]).find((tag) => test.test(tag));
  const link = tagWith("link", /\srel=["']?canonical["'\s/>]/i);
  const og = tagWith("meta", /\sproperty=["']?og:url["'\s/>]/i);
  const canonical = (link && attribute(link, "href")) ?? (og && attribute(og, "content"));
  if (!canonical) return null;
  try {
    const url = new URL(canonical.replace(/&amp;/g, "&"));
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** The host a page declares itself to be on (`<link rel=canonical>` or `og:url`), or null. */
export function declaredHost(text: string): string | null {
  return declaredUrl(text)?.host.replace(/^www\./, "") ?? null;
}

/** The site a page belongs to: the host it declares, else the known domain it names most. */
export function siteOfPage(text: string, domains: readonly string[]): string | null {
  const declared = declaredHost(text);
  if (declared) return declared;
  let best: string | null = null;
  let bestCount = 0;
  for (const d of domains) {
    const count = text.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

function ownedBy(connector: Connector, host: string): boolean {
  return connector.domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/** Every site domain the registry knows, for telling another site's page apart. */
export type KnownDomains = readonly string[];

function validate(items: IngestItem[], report: PageReport): IngestItem[] {
  const valid: IngestItem[] = [];
  for (const item of items) {
    const read = readIngestItem(item);
    if (!read.success) {
      const where = read.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      report.warnings.push(`${item.source_listing_id}: invalid (${where})`);
      continue;
    }
    valid.push(item);
    // The Mill's own plausibility checks, so the summary shows what ingest would warn about.
    for (const w of read.warnings) report.warnings.push(`${item.source_listing_id}: ${w.code}`);
  }
  report.valid = valid.length;
  return valid;
}

/** One saved page through a connector's parsers. Never throws. */
export async function parseSavedPage(
  connector: Connector,
  file: string,
  bytes: Uint8Array,
  options: { settings?: Record<string, unknown>; knownDomains?: KnownDomains } = {},
): Promise<{ report: PageReport; items: IngestItem[] }> {
  const report: PageReport = { file, kind: null, listings: 0, valid: 0, warnings: [] };
  const fail = (kind: string, message: string) => {
    report.error = { kind, message };
    return { report, items: [] };
  };
  try {
    if (bytes.length === 0) return fail("empty", "the file is empty");
    if (bytes.length > MAX_SAVED_PAGE_BYTES)
      return fail("too_large", `${bytes.length} bytes, more than the ${MAX_SAVED_PAGE_BYTES} a run accepts`);
    const text = decodeText(bytes);
    if (text === null) return fail("binary", "binary data, not a web page or JSON");
    if (text.trim() === "") return fail("empty", "the page holds only whitespace");

    const base = connector.defaultBaseUrl || "https://saved-page.invalid";
    const ctx: ConnectorContext = { fetcher: new SavedPageFetcher(text), baseUrl: base, settings: options.settings };
    // A page read from disk is identified by the address it declares for itself, as it was when fetched:
    // a listing keeps its own URL and id (a page with one JSON-LD listing takes both from the page's URL).
    // Only a page that names no address of its own gets a placeholder from its file name.
    const pageUrl = declaredUrl(text)?.href ?? new URL(`/saved/${encodeURIComponent(file.split("/").at(-1) ?? file)}`, base).href;

    // A page that declares another site is that site's page, whatever parts of it a parser could read
    // (a realestate.com.au page carries a schema.org Residence the Domain profile parser would take).
    const declared = declaredHost(text);
    if (declared && connector.domains.length > 0 && !ownedBy(connector, declared))
      return fail("wrong_site", `a page of ${declared}, not of ${connector.domains.join(", ")}`);

    const attempts: CrawlError[] = [];
    // A search page whose own data says it found nothing: why it holds no listing.
    let noResults: string | null = null;
    if (connector.itemsOnPage) {
      const items = connector.itemsOnPage(ctx, text, pageUrl);
      if (items.length > 0) {
        report.kind = items.length > 1 ? "search" : "listing";
        report.listings = items.length;
        return { report, items: validate(items, report) };
      }
      // Nothing on it: its listing-page reader says why (a broken JSON-LD block with its offset, or
      // the marker it looked for), which the report then names.
      try {
        await connector.scrape(ctx, pageUrl);
      } catch (err) {
        attempts.push(asCrawlError(err, pageUrl));
      }
    } else {
      try {
        const page = await connector.searchPage(ctx, connector.exampleLocation || "saved", 1);
        noResults = page.listings.length === 0 ? (page.noResults ?? null) : null;
        const items = page.listings.flatMap((l) => (l.item ? [l.item] : []));
        for (const e of page.errors ?? []) report.warnings.push(`${e.kind}: ${e.message}`);
        if (page.listings.length > 0) {
          report.kind = "search";
          report.listings = page.listings.length;
          if (items.length < page.listings.length)
            report.warnings.push(`${page.listings.length - items.length} listings need their own pages (not in saved-page mode)`);
          return { report, items: validate(items, report) };
        }
      } catch (err) {
        attempts.push(asCrawlError(err, pageUrl));
      }
      try {
        const item = await connector.scrape(ctx, pageUrl);
        report.kind = "listing";
        report.listings = 1;
        return { report, items: validate([item], report) };
      } catch (err) {
        attempts.push(asCrawlError(err, pageUrl));
      }
    }
    // Nothing read: say whether it is another site's page, a broken state, or a layout we do not know.
    const other = siteOfPage(text, options.knownDomains ?? []);
    if (other && connector.domains.length > 0 && !ownedBy(connector, other))
      return fail("wrong_site", `a page of ${other}, not of ${connector.domains.join(", ")}`);
    // The site's own not-found page, or a search that found nothing: no listing, and no layout change either.
    const notFound = attempts.find((e) => e.kind === "not_found");
    if (notFound) return fail("not_found", notFound.message.replace(/^not_found: /, ""));
    if (noResults) {
      report.kind = "search";
      return fail("no_results", noResults);
    }
    const parse = attempts.find((e) => e.kind === "parse");
    if (parse) return fail("parse", parse.message);
    const layout = attempts.find((e) => e.kind === "layout_changed");
    if (layout)
      return fail(
        "layout_changed",
        `not a ${connector.name} search or listing page we know (${layout.message.replace(/^layout_changed: /, "")})`,
      );
    return fail("layout_changed", `no listing found by ${connector.name}${attempts[0] ? `: ${attempts[0].message}` : ""}`);
  } catch (err) {
    // Parsers on hostile input: whatever they throw is this page's report, never the run's end.
    return fail("parse", (err as Error)?.message ?? String(err));
  }
}
