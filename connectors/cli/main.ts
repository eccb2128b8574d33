/**
 * `npm run connector -- <name> [options]`: runs a site connector or a dataset importer from the command
 * line with the same code the Worker runs. Runtime-neutral: the Node entry (scripts/connector.ts)
 * supplies file and terminal access through `CliIo`, tests supply memory.
 *
 *   <connector> --location <loc> [--pages 2] [--max 50] [--delay ms] [--dry-run] [--output out.json]
 *               [--base-url URL] [--site site.json] [--mill URL] [--token T]
 *   <dataset>   [--file path.csv[.gz]] [--limit N] [--dry-run] [--output out.json] [--mill URL] [--token T]
 *   --list      connectors and datasets
 *   --health    fetch one search page per connector (or the named one) and report
 */
import arg from "arg";
import type { IngestItem } from "../contract/item";
import { type Connector, type ConnectorContext, PoliteFetcher } from "../core";
import { checkHealth } from "../core/health";
import { MillClient } from "../core/mill-client";
import { type RunStats, runConnector } from "../core/run";
import { parseSavedPage } from "../core/saved-pages";
import { type DatasetImporter, datasetImporters, findImporter, type ImportReport, importDataset } from "../datasets";
import { connectors, findConnector } from "../registry";

export type CliIo = {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Rewrites the current progress line (a terminal) or prints occasional lines (a log). */
  progress: (text: string) => void;
  writeFile: (path: string, text: string) => Promise<void>;
  readFile: (path: string) => Promise<string>;
  openFile: (path: string) => Promise<ReadableStream<Uint8Array>>;
  fileExists: (path: string) => boolean;
  /** A file's bytes (saved pages may be binary or huge: they are checked, not trusted). */
  readBytes: (path: string) => Promise<Uint8Array>;
  /** The files directly inside a folder (paths), or null when `path` is not a folder. */
  listDir: (path: string) => Promise<string[] | null>;
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
};

type Args = { positional: string[]; flags: Record<string, string | true> };

/**
 * Every flag the CLI knows; anything else is an error before anything is fetched or submitted. Parsed
 * with `arg` (strict: unknown flags and flags without their value throw), which runs in workerd too, where
 * the CLI's tests run (workerd's `node:util` has no `parseArgs`).
 */
const OPTIONS = {
  "--location": String,
  "--pages": String,
  "--max": String,
  "--delay": String,
  "--dry-run": Boolean,
  "--output": String,
  "--base-url": String,
  "--site": String,
  "--mill": String,
  "--token": String,
  "--file": String,
  "--limit": String,
  "--from": String,
  "--allow-host": String,
  "--offline": Boolean,
  "--list": Boolean,
  "--health": Boolean,
  "--help": Boolean,
  "-h": "--help",
} satisfies arg.Spec;

/** Flags whose value must be a whole number. */
const COUNTS = ["pages", "max", "delay", "limit"] as const;

export class UsageError extends Error {}

/**
 * Strict parsing: an unknown flag (`--dry-rn`), a flag without its value (`--location` last, or
 * followed by another flag) or a count that is not a number is a `UsageError`.
 */
export function parseArgs(argv: string[]): Args {
  let parsed: arg.Result<typeof OPTIONS>;
  try {
    parsed = arg(OPTIONS, { argv });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const flags: Record<string, string | true> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === "_" || value === undefined || value === false) continue;
    flags[key.replace(/^--/, "")] = value as string | true;
  }
  for (const key of COUNTS) {
    const v = flags[key];
    if (typeof v === "string" && !/^\d+$/.test(v.trim())) throw new UsageError(`--${key} must be a whole number, not "${v}"`);
  }
  return { positional: [...parsed._], flags };
}

const HELP = `usage: npm run connector -- <name> [options]
  <connector> --location <loc> [--pages 2] [--max 50] [--delay ms] [--dry-run] [--output out.json]
              [--base-url URL] [--site site.json] [--mill http://127.0.0.1:8787] [--token pil_…]
  <connector> --from <file-or-folder> [--output out.json] [--site site.json]   saved pages, no network
  <dataset>   [--file path.csv[.gz]] [--limit N] [--dry-run] [--output out.json] [--mill URL] [--token pil_…]
  --list      list connectors and datasets
  --health    check every connector (or the named one) against its newest saved page and a live page
              [--offline: the saved pages only]
The Mill token may also come from PILLOW_TOKEN, the Mill URL from PILLOW_MILL_URL.`;

/** A plain-text table with aligned columns. */
export function table(rows: Array<Array<string | number>>): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((v, c) => String(v).padEnd(widths[c] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function fetcherFor(flags: Args["flags"], io: CliIo): PoliteFetcher {
  const allow = typeof flags["allow-host"] === "string" ? [flags["allow-host"]] : [];
  return new PoliteFetcher({
    contactUrl: io.env.CRAWL_CONTACT_URL ?? "https://github.com/pillow/pillow/blob/main/docs/connectors.md",
    minDelayMs: typeof flags.delay === "string" ? Number(flags.delay) : 2_000,
    allowHosts: allow,
    fetch: io.fetch,
  });
}

function millFor(flags: Args["flags"], io: CliIo): MillClient | undefined {
  if (flags["dry-run"]) return undefined;
  const token = typeof flags.token === "string" ? flags.token : io.env.PILLOW_TOKEN;
  if (!token) throw new Error("no Mill token: pass --token or set PILLOW_TOKEN (or use --dry-run)");
  const baseUrl = typeof flags.mill === "string" ? flags.mill : (io.env.PILLOW_MILL_URL ?? "http://127.0.0.1:8787");
  return new MillClient({ baseUrl, token, fetch: io.fetch ? (r) => (io.fetch as typeof fetch)(r) : undefined });
}

function statsTable(stats: RunStats): string {
  const errors = Object.entries(stats.errors)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return table([
    [
      "connector",
      "location",
      "pages",
      "requests",
      "found",
      "submitted",
      "created",
      "merged",
      "unchanged",
      "invalid",
      "errors",
      "seconds",
    ],
    [
      stats.connector,
      stats.location || "-",
      stats.pagesFetched,
      stats.requests,
      stats.listingsFound,
      stats.submitted,
      stats.created,
      stats.merged,
      stats.unchanged,
      stats.invalid,
      errors || "0",
      (stats.durationMs / 1000).toFixed(1),
    ],
  ]);
}

export function reportTable(reports: ImportReport[]): string {
  return table([
    ["dataset", "rows read", "submitted", "stored", "merged", "unchanged", "rejected", "seconds"],
    ...reports.map((r) => [
      r.dataset,
      r.rowsRead,
      r.submitted,
      r.created,
      r.merged,
      r.unchanged,
      r.rejected,
      (r.durationMs / 1000).toFixed(1),
    ]),
  ]);
}

async function runSite(connector: Connector, args: Args, io: CliIo): Promise<number> {
  const { flags } = args;
  const settings =
    typeof flags.site === "string" ? (JSON.parse(await io.readFile(flags.site)) as Record<string, unknown>) : undefined;
  const ctx: ConnectorContext = {
    fetcher: fetcherFor(flags, io),
    baseUrl: typeof flags["base-url"] === "string" ? flags["base-url"] : connector.defaultBaseUrl,
    settings,
  };
  const location = typeof flags.location === "string" ? flags.location : connector.exampleLocation;
  const { items, stats } = await runConnector(
    connector,
    ctx,
    {
      location,
      pages: Number(flags.pages ?? 2),
      max: Number(flags.max ?? 50),
      dryRun: !!flags["dry-run"],
      onProgress: (e) => {
        if (e.kind === "page") io.progress(`page ${e.page}: ${e.listings} listings`);
        else if (e.kind === "item")
          io.progress(`${e.count} items · ${e.item.address.street ?? e.item.address.city ?? e.item.source_listing_id}`);
        else if (e.kind === "error") io.err(`  ! ${e.error.kind} ${e.error.url}: ${e.error.message}`);
      },
    },
    millFor(flags, io),
  );
  io.progress("");
  await emit(items, flags, io);
  io.out(statsTable(stats));
  for (const f of stats.failures.slice(0, 20)) io.out(`  ${f.kind.padEnd(18)} ${f.url}  ${f.message}`);
  // A layout change is an alarm even when other pages still gave items: the operator must look.
  if (stats.errors.layout_changed) {
    io.err(`layout_changed: ${stats.errors.layout_changed} page(s) of a known kind gave no listing (see the failures above)`);
    return 1;
  }
  return Object.keys(stats.errors).length > 0 && items.length === 0 ? 1 : 0;
}

async function emit(items: IngestItem[], flags: Args["flags"], io: CliIo) {
  if (typeof flags.output === "string") {
    await io.writeFile(flags.output, `${JSON.stringify(items, null, 2)}\n`);
    io.out(`wrote ${items.length} items to ${flags.output}`);
  } else if (flags["dry-run"]) {
    io.out(JSON.stringify(items, null, 2));
  }
}

export function defaultDatasetPath(importer: DatasetImporter, io: CliIo): string {
  const demo = `db/demo/${importer.file}.gz`;
  if (importer.openLicence && io.fileExists(demo)) return demo;
  return `../shared/datasets/${importer.file}`;
}

async function runDataset(importer: DatasetImporter, args: Args, io: CliIo): Promise<number> {
  const { flags } = args;
  const file = typeof flags.file === "string" ? flags.file : defaultDatasetPath(importer, io);
  const mill = millFor(flags, io);
  const items: IngestItem[] = [];
  const report = await importDataset(importer, await io.openFile(file), {
    submit: mill ? (batch) => mill.submit(batch) : undefined,
    onBatch: flags.output || flags["dry-run"] ? (batch) => items.push(...batch) : undefined,
    limit: typeof flags.limit === "string" ? Number(flags.limit) : undefined,
    onProgress: (r) => io.progress(`${importer.name}: ${r.rowsRead} rows, ${r.submitted} submitted`),
  });
  io.progress("");
  await emit(items, flags, io);
  io.out(reportTable([report]));
  for (const [reason, n] of Object.entries(report.reasons)) io.out(`  rejected ${String(n).padStart(6)}  ${reason}`);
  return 0;
}

async function health(args: Args, io: CliIo): Promise<number> {
  const selected = args.positional[0]
    ? connectors.filter((c) => c.name === args.positional[0])
    : connectors.filter((c) => c.exampleLocation);
  if (selected.length === 0) throw new UsageError(`unknown connector "${args.positional[0]}" (see --list)`);
  const rows: Array<Array<string | number>> = [["connector", "check", "status", "listings", "ms", "message"]];
  let failed = 0;
  for (const c of selected) {
    // The parser against the newest saved page: a layout the parser no longer reads is a failure.
    if (c.healthFixture) {
      const path = c.healthFixture;
      if (!io.fileExists(path)) rows.push([c.name, "fixture", "skipped", 0, 0, `${path} is not present`]);
      else {
        const started = Date.now();
        const { report } = await parseSavedPage(c, path, await io.readBytes(path), { knownDomains: allDomains() });
        const ok = !report.error && report.valid > 0;
        if (!ok) failed++;
        rows.push([
          c.name,
          "fixture",
          ok ? "ok" : (report.error?.kind ?? "empty"),
          report.valid,
          Date.now() - started,
          report.error?.message.slice(0, 100) ?? "",
        ]);
      }
    }
    if (args.flags.offline) continue;
    const ctx = { fetcher: fetcherFor(args.flags, io), baseUrl: (args.flags["base-url"] as string) || c.defaultBaseUrl };
    const h = await checkHealth(c, ctx, (args.flags.location as string) || c.exampleLocation);
    // A site we cannot reach says nothing about its layout: reported, not counted as a failure.
    const unreachable =
      !h.ok &&
      h.kind !== undefined &&
      ["network", "timeout", "robots_disallowed", "unsafe_url", "blocked", "rate_limited", "http_5xx", "http_4xx"].includes(
        h.kind,
      );
    if (!h.ok && !unreachable) failed++;
    rows.push([
      c.name,
      "live",
      h.ok ? "ok" : unreachable ? "unreachable" : (h.kind ?? "failing"),
      h.listings,
      h.ms,
      h.ok ? "" : h.message.slice(0, 100),
    ]);
  }
  io.out(table(rows));
  return failed > 0 ? 1 : 0;
}

function allDomains(): string[] {
  return connectors.flatMap((c) => c.domains);
}

/** Saved-page mode: every page of a file or folder through the connector's parsers, no network. */
async function runFrom(connector: Connector, args: Args, io: CliIo): Promise<number> {
  const { flags } = args;
  const from = flags.from as string;
  const settings =
    typeof flags.site === "string" ? (JSON.parse(await io.readFile(flags.site)) as Record<string, unknown>) : undefined;
  if (connector.itemsOnPage && !settings) throw new UsageError(`${connector.name} --from needs --site <site.json>`);
  const files = (await io.listDir(from)) ?? [from];
  const items: IngestItem[] = [];
  const rows: Array<Array<string | number>> = [["page", "kind", "listings", "valid", "warnings", "problem"]];
  let failed = 0;
  for (const file of files.sort()) {
    let bytes: Uint8Array;
    try {
      bytes = await io.readBytes(file);
    } catch (err) {
      failed++;
      rows.push([file, "-", 0, 0, 0, `unreadable: ${(err as Error).message}`]);
      continue;
    }
    const { report, items: pageItems } = await parseSavedPage(connector, file, bytes, { settings, knownDomains: allDomains() });
    items.push(...pageItems);
    if (report.error) failed++;
    rows.push([
      file.split("/").at(-1) ?? file,
      report.kind ?? "-",
      report.listings,
      report.valid,
      report.warnings.length,
      report.error ? `${report.error.kind}: ${report.error.message}`.slice(0, 160) : "",
    ]);
    for (const w of report.warnings.slice(0, 5)) io.err(`  ${file.split("/").at(-1)}: ${w}`);
  }
  if (typeof flags.output === "string") {
    await io.writeFile(flags.output, `${JSON.stringify(items, null, 2)}\n`);
  }
  io.out(table(rows));
  io.out(
    `${files.length} pages, ${items.length} valid items${typeof flags.output === "string" ? ` written to ${flags.output}` : ""}`,
  );
  return failed > 0 ? 1 : 0;
}

function list(io: CliIo): number {
  io.out(
    table([
      ["connector", "country", "domains", "description"],
      ...connectors.map((c) => [c.name, c.country, c.domains.join(", ") || "(configured per site)", c.description]),
    ]),
  );
  io.out("");
  io.out(
    table([
      ["dataset", "country", "licence", "description"],
      ...datasetImporters.map((d) => [d.name, d.country, d.licence, d.description]),
    ]),
  );
  return 0;
}

/** Runs the CLI; returns the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.err(`error: ${(err as Error).message}\n${HELP}`);
    return 2;
  }
  try {
    if (args.flags.help) {
      io.out(HELP);
      return 0;
    }
    if (args.flags.list) return list(io);
    if (args.flags.health) return await health(args, io);
    const name = args.positional[0];
    if (!name) {
      io.err(HELP);
      return 2;
    }
    const connector = findConnector(name);
    if (connector && typeof args.flags.from === "string") return await runFrom(connector, args, io);
    if (connector) return await runSite(connector, args, io);
    const importer = findImporter(name);
    if (importer) return await runDataset(importer, args, io);
    io.err(`unknown connector or dataset "${name}" (see --list)`);
    return 2;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n${HELP}`);
      return 2;
    }
    io.err(`error: ${(err as Error).message}`);
    return 1;
  }
}
