/**
 * The columns of `properties` that ingest reads, merges and writes, derived from the drizzle table
 * (db/schema.ts): every column except the generated ones and those other writers own. A column added
 * to the table is read into the record, written by the batch statement and updated by merges with no
 * list here to edit (store.ts builds its SQL text from these, once, when the module loads).
 */
import { getTableColumns } from "drizzle-orm";
import { properties } from "../../../../db/schema";

/** Columns ingest leaves to others: creation and touch times (set in SQL), and the enrichment loop's bookkeeping. */
const NOT_INGESTED = ["createdAt", "updatedAt", "lastSeenAt", "enrichmentQueuedAt", "enrichedAt", "sourceMisses"] as const;

/** A row of `properties` as drizzle inserts it, every column present. */
export type PropertyColumns = Required<typeof properties.$inferInsert>;
export type IngestColumnKey = Exclude<keyof PropertyColumns, (typeof NOT_INGESTED)[number]>;

/**
 * How a column travels between Postgres and the record: `location` as plain lat/lng, `bigint` as a
 * double (minor units stay exact far beyond any price), `time` as epoch milliseconds (independent of
 * the driver's date parsing), the rest as they are.
 */
export type ColumnKind = "location" | "bigint" | "time" | "plain";

export type IngestColumn = {
  key: IngestColumnKey;
  /** SQL name. */
  name: string;
  kind: ColumnKind;
  /** The type a `jsonb_to_recordset` column definition gives it (character columns travel as text). */
  recordsetType: string;
};

function kindOf(columnType: string, sqlType: string): ColumnKind {
  if (sqlType.startsWith("geography")) return "location";
  if (columnType.startsWith("PgBigInt")) return "bigint";
  if (columnType === "PgTimestamp") return "time";
  return "plain";
}

function recordsetType(sqlType: string): string {
  if (/^char\(\d+\)$/.test(sqlType)) return "text";
  if (sqlType === "timestamp with time zone") return "timestamptz";
  return sqlType;
}

/** In the table's order. */
export const INGEST_COLUMNS: readonly IngestColumn[] = Object.entries(getTableColumns(properties))
  .filter(([key, c]) => !(c as { generated?: unknown }).generated && !(NOT_INGESTED as readonly string[]).includes(key))
  .map(([key, c]) => ({
    key: key as IngestColumnKey,
    name: c.name,
    kind: kindOf(c.columnType, c.getSQLType()),
    recordsetType: recordsetType(c.getSQLType()),
  }));
