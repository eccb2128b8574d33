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
import { type Connector, type ConnectorContext, PoliteFetcher } from "../core";
import { checkHealth } from "../core/health";
import type { IngestItem } from "../core/item";
import { MillClient } from "../core/mill-client";
import { type RunStats, runConnector } from "../core/run";
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
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
};

type Args = { positional: string[]; flags: Record<string, string | true> };

export function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith("--")) {
      positional.push(a);
      continue;
    }
    const [key, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) flags[key] = inline;
    else if (next !== undefined && !next.startsWith("--") && !["dry-run", "list", "health", "help"].includes(key)) {
      flags[key] = next;
      i++;
    } else flags[key] = true;
  }
  return { positional, flags };
}

const HELP = `usage: npm run connector -- <name> [options]
  <connector> --location <loc> [--pages 2] [--max 50] [--delay ms] [--dry-run] [--output out.json]
              [--base-url URL] [--site site.json] [--mill http://127.0.0.1:8787] [--token pil_…]
  <dataset>   [--file path.csv[.gz]] [--limit N] [--dry-run] [--output out.json] [--mill URL] [--token pil_…]
  --list      list connectors and datasets
  --health    check every connector (or the named one)
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
  const rows: Array<Array<string | number>> = [["connector", "status", "listings", "ms", "message"]];
  let failed = 0;
  for (const c of selected) {
    const ctx = { fetcher: fetcherFor(args.flags, io), baseUrl: (args.flags["base-url"] as string) || c.defaultBaseUrl };
    const h = await checkHealth(c, ctx, (args.flags.location as string) || c.exampleLocation);
    if (!h.ok) failed++;
    rows.push([c.name, h.ok ? "ok" : "failing", h.listings, h.ms, h.ok ? "" : h.message.slice(0, 100)]);
  }
  io.out(table(rows));
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
  const args = parseArgs(argv);
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
    if (connector) return await runSite(connector, args, io);
    const importer = findImporter(name);
    if (importer) return await runDataset(importer, args, io);
    io.err(`unknown connector or dataset "${name}" (see --list)`);
    return 2;
  } catch (err) {
    io.err(`error: ${(err as Error).message}`);
    return 1;
  }
}
