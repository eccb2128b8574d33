/**
 * A saved search's `query` is the search exactly as `GET /api/v1/properties` takes it: its query string
 * is checked by the search's own zod schema (`SearchQuerySchema`) and parser (`parseSearchQuery`),
 * so a saved search accepts and rejects precisely what the search does, and matches what it finds.
 */

import { ApiError, zodIssues } from "../errors";
import { invalid } from "../search/invalid";
import type { Filters } from "../search/params";
import { SearchQuerySchema } from "../search/schema";
import { parseSearchQuery } from "../search/search";

/** Paging and presentation: they do not change which properties match, so a saved search drops them. */
const NOT_FILTERS = new Set(["sort", "limit", "offset", "cursor", "count", "fields"]);

export type SavedQuery = { text: string; filters: Filters };

/**
 * Parses and validates a query string (`city=Hobart&max_price=900000`); returns its normalised text
 * (filters only, keys sorted, URL-encoded) and the parsed filters. Failures are VALIDATION_FAILED naming
 * `query.<param>`.
 */
export function parseSavedQuery(raw: string): SavedQuery {
  const params = new URLSearchParams(raw.startsWith("?") ? raw.slice(1) : raw);
  const record: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in record) throw invalid(`query.${key}`, "is given more than once; lists are comma-separated");
    if (NOT_FILTERS.has(key)) continue;
    record[key] = value;
  }
  const parsed = SearchQuerySchema.safeParse(record);
  if (!parsed.success) {
    const details = zodIssues(parsed.error).map((i) => ({ path: `query.${i.path}`, message: i.message }));
    throw new ApiError("VALIDATION_FAILED", `${details[0]?.path}: ${details[0]?.message}`, { details });
  }
  let filters: Filters;
  try {
    filters = parseSearchQuery(parsed.data).filters;
  } catch (err) {
    const e = err as { details?: Array<{ path: string; message: string }> };
    const d = e.details?.[0];
    if (d) throw invalid(`query.${d.path}`, d.message);
    throw err;
  }
  const entries = Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { text: new URLSearchParams(entries).toString(), filters };
}
