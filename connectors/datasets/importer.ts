/**
 * Dataset importers: a CSV (streamed) → column mapping, units, currency, country → ingest items →
 * the Mill's batch endpoint, with a report of rows read, stored, merged, unchanged and rejected (with
 * reasons). A dataset with repeat sales of one property (King County parcels, Melbourne addresses)
 * names a `historyKey`: its sales are submitted oldest first, one round per sale, so the Mill records
 * them as the price history of one property rather than as duplicates.
 */
import { type IngestItem, IngestItemSchema } from "../contract/item";
import type { SubmitSummary } from "../core/mill-client";
import { type CsvRecord, type CsvSourceOptions, csvRecords } from "./csv";

/** A row the importer refuses before it reaches the Mill, with the reason counted in the report. */
export class Rejection {
  constructor(readonly reason: string) {}
}

export type DatasetImporter = {
  /** CLI name ("kc-house-data"). */
  name: string;
  /** `source` of the items (dataset name). */
  source: string;
  description: string;
  /** File name in ../shared/datasets (and, for openly licensed data, in db/demo/ gzipped). */
  file: string;
  country: string;
  licence: string;
  /** May be carried in the repository and shown in the public demo. */
  openLicence: boolean;
  attribution?: string;
  csv?: CsvSourceOptions;
  map(record: CsvRecord): IngestItem | Rejection;
  /** Items sharing this key are sales of one property, submitted in `historyOrder` order. */
  historyKey?: (item: IngestItem) => string;
  historyOrder?: (item: IngestItem) => string;
};

export type ImportReport = {
  dataset: string;
  rowsRead: number;
  submitted: number;
  /** New properties stored. */
  created: number;
  merged: number;
  unchanged: number;
  rejected: number;
  /** Later sales of a property already in the file (submitted as its history). */
  repeatSales: number;
  reasons: Record<string, number>;
  durationMs: number;
};

export type ImportOptions = {
  /** Submits one batch (the Mill client's `submit`); absent in a dry run. */
  submit?: (items: IngestItem[]) => Promise<SubmitSummary>;
  /** Sees every batch that passed local validation, in submission order (dry-run output). */
  onBatch?: (items: IngestItem[]) => void;
  batchSize?: number;
  /** Stop after this many rows (demo subsets, tests). */
  limit?: number;
  onProgress?: (report: ImportReport) => void;
};

function reject(report: ImportReport, reason: string) {
  report.rejected++;
  report.reasons[reason] = (report.reasons[reason] ?? 0) + 1;
}

/** Runs a whole import. Rows stream through; only datasets with a historyKey hold their items to order them. */
export async function importDataset(
  importer: DatasetImporter,
  bytes: ReadableStream<Uint8Array>,
  options: ImportOptions,
): Promise<ImportReport> {
  const started = Date.now();
  const report: ImportReport = {
    dataset: importer.name,
    rowsRead: 0,
    submitted: 0,
    created: 0,
    merged: 0,
    unchanged: 0,
    rejected: 0,
    repeatSales: 0,
    reasons: {},
    durationMs: 0,
  };
  const batchSize = Math.min(options.batchSize ?? 500, 500);
  let batch: IngestItem[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    options.onBatch?.(batch);
    if (!options.submit) {
      batch = [];
      return;
    }
    const summary = await options.submit(batch);
    report.submitted += summary.results.length;
    report.created += summary.created;
    report.merged += summary.merged;
    report.unchanged += summary.unchanged;
    for (const r of summary.results) if (r.outcome === "invalid") reject(report, `mill: ${r.reason ?? "invalid"}`.slice(0, 200));
    batch = [];
    options.onProgress?.(report);
  };
  const groups = importer.historyKey ? new Map<string, IngestItem[]>() : null;
  const order = importer.historyOrder ?? ((i: IngestItem) => i.sold_at ?? i.listed_at ?? "");

  for await (const record of csvRecords(bytes, importer.csv)) {
    if (options.limit !== undefined && report.rowsRead >= options.limit) break;
    report.rowsRead++;
    let mapped: IngestItem | Rejection;
    try {
      mapped = importer.map(record);
    } catch (err) {
      mapped = new Rejection(`unreadable row: ${(err as Error).message}`);
    }
    if (mapped instanceof Rejection) {
      reject(report, mapped.reason);
      continue;
    }
    // The Mill's own schema; the item submitted is the mapped one (the Mill parses it itself).
    const checked = IngestItemSchema.safeParse(mapped);
    if (!checked.success) {
      reject(report, `invalid ${checked.error.issues[0]?.path.join(".")}: ${checked.error.issues[0]?.message}`);
      continue;
    }
    if (groups && importer.historyKey) {
      const key = importer.historyKey(mapped);
      const list = groups.get(key);
      const same = list?.findIndex((i) => order(i) === order(mapped)) ?? -1;
      if (list && same >= 0) {
        // Two rows for one property and one date are one event written twice (Melbourne lists one
        // passed-in auction under "C21" and "Century"): the later row is kept. Submitting both would
        // make every import flip the property between them.
        list[same] = mapped;
        reject(report, "same property and date as a later row (the later row is kept)");
      } else if (list) {
        list.push(mapped);
        report.repeatSales++;
      } else groups.set(key, [mapped]);
      continue;
    }
    batch.push(mapped);
    if (batch.length >= batchSize) await flush();
  }

  if (groups) {
    // Round k holds the k-th sale (oldest first) of every property: sales of one property never share
    // a batch, and each arrives after the one before it.
    const sorted = [...groups.values()].map((sales) => sales.sort((a, b) => order(a).localeCompare(order(b))));
    const rounds = Math.max(0, ...sorted.map((s) => s.length));
    for (let round = 0; round < rounds; round++) {
      for (const sales of sorted) {
        const item = sales[round];
        if (!item) continue;
        batch.push(item);
        if (batch.length >= batchSize) await flush();
      }
      await flush();
    }
  }
  await flush();
  report.durationMs = Date.now() - started;
  return report;
}
