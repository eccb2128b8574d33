/**
 * Why a search came back empty, when the status filter is the reason: the search defaults to
 * `active`, and data that holds only sales (or withdrawn listings) then answers nothing without
 * saying why. When a first page is empty, one bounded query counts the same filters over the other
 * statuses; if some match, the answer carries a hint naming the filter and the statuses to add.
 */
import { STATUSES } from "../vocabulary";
import { filterConditions } from "./filters";
import type { Filters } from "./params";
import { and, SqlParams, type SqlQuery } from "./sql";

/** Counting stops here: the hint says "at least" beyond it, and the query stays cheap on large data. */
export const HINT_COUNT_CAP = 10_000;

export type EmptyHint = {
  filter: "status";
  message: string;
  /** Matches per status left out by the filter (each at most HINT_COUNT_CAP in total). */
  other_statuses: Record<string, number>;
  /** The `status` value that includes them. */
  suggested_status: string;
};

/** The statuses the filter leaves out, or none when it already takes every one. */
export function excludedStatuses(filters: Filters): string[] {
  return STATUSES.filter((s) => !filters.statuses.includes(s));
}

export function buildEmptyHintQuery(filters: Filters, others: string[]): SqlQuery {
  const p = new SqlParams();
  const conditions = filterConditions(p, { ...filters, statuses: others });
  const text = `SELECT s.status, count(*)::int AS n
    FROM (SELECT p.status FROM properties p WHERE ${and(conditions)} LIMIT ${HINT_COUNT_CAP}) s
    GROUP BY s.status ORDER BY n DESC, s.status`;
  return { text, values: p.values };
}

export function emptyHint(filters: Filters, rows: Array<{ status: string; n: number }>): EmptyHint | undefined {
  if (rows.length === 0) return undefined;
  const counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const total = rows.reduce((n, r) => n + Number(r.n), 0);
  const many = total >= HINT_COUNT_CAP ? `at least ${HINT_COUNT_CAP}` : String(total);
  const listed = rows.map((r) => r.status).join(", ");
  return {
    filter: "status",
    message: `No ${filters.statuses.join(" or ")} listings match; ${many} ${listed} ${total === 1 ? "listing does" : "listings do"}. Add them with status=${[...filters.statuses, ...rows.map((r) => r.status)].join(",")}.`,
    other_statuses: counts,
    suggested_status: [...filters.statuses, ...rows.map((r) => r.status)].join(","),
  };
}
