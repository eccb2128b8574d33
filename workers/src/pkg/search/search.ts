/**
 * A property search from query to page: `parseSearchQuery` checks what the schema cannot (sort needs,
 * paging limits, the cursor, the fields), `runSearch` picks the strategy (strategy.ts), runs the page
 * query (query.ts) and the optional count, and builds the response: items, the next cursor, and on an
 * empty first page the hint about other statuses (empty-hint.ts).
 */
import type { Env } from "../../env";
import { type ItemRow, pickFields, toPropertyItem } from "../properties/item";
import { PROPERTY_FIELDS } from "../properties/schema";
import { buildEmptyHintQuery, type EmptyHint, emptyHint, excludedStatuses } from "./empty-hint";
import { invalid } from "./invalid";
import { type Filters, normaliseQuery, parseFilters } from "./params";
import { buildCountQuery, buildSearchQuery, DEFAULT_DISTANCE_SLACK } from "./query";
import { queryRows } from "./run";
import { MAX_OFFSET_WINDOW, type SearchQuery } from "./schema";
import { type Cursor, decodeCursor, encodeCursor, fingerprint, type SortName } from "./sort";
import { chooseStrategy, type StrategyChoice } from "./strategy";

type SearchRow = ItemRow & { _k: string | null; _g: "value" | "null"; _cut: boolean; _tie: boolean };

/** The filters and the sort define a result set; its fingerprint ties cursors to it. */
function queryFingerprint(query: SearchQuery): string {
  return fingerprint(normaliseQuery(query, ["limit", "offset", "cursor", "count", "fields"]));
}

function parseFields(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const fields = [...new Set(value.split(","))];
  const unknown = fields.filter((f) => !(PROPERTY_FIELDS as string[]).includes(f));
  if (unknown.length > 0)
    throw invalid("fields", `unknown field ${unknown.join(", ")}; fields are ${PROPERTY_FIELDS.join(", ")}`);
  return fields;
}

export type SearchRequest = {
  filters: Filters;
  sort: SortName;
  limit: number;
  offset: number;
  cursor?: Cursor;
  count: boolean;
  fields?: string[];
  fingerprint: string;
};

export function parseSearchQuery(query: SearchQuery): SearchRequest {
  const filters = parseFilters(query);
  if (query.sort === "distance" && !filters.geo.near) throw invalid("sort", "`distance` needs `near=lat,lng`");
  if (query.cursor !== undefined && query.offset !== undefined)
    throw invalid("offset", "use either `offset` or `cursor`, not both");
  const offset = query.offset ?? 0;
  if (offset + query.limit > MAX_OFFSET_WINDOW) {
    throw invalid(
      "offset",
      `offset + limit must be at most ${MAX_OFFSET_WINDOW}; page deeper with \`cursor\` (pagination.next_cursor)`,
    );
  }
  const fp = queryFingerprint(query);
  return {
    filters,
    sort: query.sort,
    limit: query.limit,
    offset,
    cursor: query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.sort, fp),
    count: query.count === "true",
    fields: parseFields(query.fields),
    fingerprint: fp,
  };
}

/** Runs the page query; repeats a distance page with more slack when equal distances straddled the KNN cut. */
export async function pageRows(env: Env, req: SearchRequest, choice: StrategyChoice): Promise<SearchRow[]> {
  let slack = DEFAULT_DISTANCE_SLACK;
  for (;;) {
    const rows = await queryRows<SearchRow>(env, buildSearchQuery({ ...req, ...choice, distanceSlack: slack }));
    if (!rows.some((r) => r._cut && r._tie)) return rows;
    slack *= 8;
  }
}

export async function runSearch(env: Env, req: SearchRequest) {
  const choice = await chooseStrategy(env, req.filters, req.offset + req.limit, req);
  const count = req.count ? buildCountQuery(req.filters) : undefined;
  const [rows, totalRows] = await Promise.all([
    pageRows(env, req, choice),
    count ? queryRows<{ total: number }>(env, count) : Promise.resolve(undefined),
  ]);
  const page = rows.slice(0, req.limit);
  const hint = page.length === 0 && req.offset === 0 && req.cursor === undefined ? await statusHint(env, req.filters) : undefined;
  const last = page.at(-1);
  const next_cursor =
    rows.length > req.limit && last
      ? encodeCursor({ sort: req.sort, segment: last._g, key: last._k, id: last.id, fingerprint: req.fingerprint })
      : null;
  return {
    success: true as const,
    data: page.map((r) => pickFields(toPropertyItem(r), req.fields)),
    pagination: {
      limit: req.limit,
      ...(req.offset > 0 || req.cursor === undefined ? { offset: req.offset } : {}),
      next_cursor,
      ...(totalRows ? { total: Number(totalRows[0]?.total ?? 0) } : {}),
    },
    ...(hint ? { hint } : {}),
  };
}

/** An empty first page: do listings of the statuses the filter leaves out match? (pkg/search/empty-hint.ts) */
async function statusHint(env: Env, filters: Filters): Promise<EmptyHint | undefined> {
  const others = excludedStatuses(filters);
  if (others.length === 0) return undefined;
  return emptyHint(filters, await queryRows<{ status: string; n: number }>(env, buildEmptyHintQuery(filters, others)));
}
