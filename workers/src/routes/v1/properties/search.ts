import type { Env } from "../../../env";
import { cachedJson, cachedJsonResponse } from "../../../pkg/cache";
import { afterResponse } from "../../../pkg/hono/after-response";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { invalid } from "../../../pkg/search/invalid";
import { type Filters, normaliseQuery, parseFilters } from "../../../pkg/search/params";
import { buildCountQuery, buildSearchQuery, DEFAULT_DISTANCE_SLACK } from "../../../pkg/search/query";
import { queryRows } from "../../../pkg/search/run";
import { type Cursor, decodeCursor, encodeCursor, fingerprint, type SortName } from "../../../pkg/search/sort";
import { chooseStrategy, type StrategyChoice } from "../../../pkg/search/strategy";
import { type ItemRow, pickFields, toPropertyItem } from "./item";
import { MAX_OFFSET_WINDOW, PROPERTY_FIELDS, type SearchQuery, SearchQuerySchema, SearchResponseSchema } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["properties"],
  operationId: "properties.search",
  method: "get",
  path: "/api/v1/properties",
  summary: "Search properties",
  description:
    "Filters combine with AND; list values are comma-separated and match any of them. Prices are whole currency units. " +
    "Page with `cursor` (keyset, stable while rows are added) or `offset` (offset + limit ≤ 10,000). Public.",
  request: { query: SearchQuerySchema },
  responses: {
    200: {
      description: "A page of properties",
      content: {
        "application/json": {
          schema: SearchResponseSchema,
          example: {
            success: true,
            data: [
              {
                id: "0b8f7c2e-3c1d-4a51-9d0e-4f5b6a7c8d9e",
                title: "Bright 2-bed apartment near Lake Merritt",
                property_type: "apartment",
                price: 545000,
                currency: "USD",
              },
            ],
            pagination: { limit: 50, next_cursor: "eyJ2IjoxLCJzIjoiLWxpc3RlZF9hdCIsLi4ufQ", total: 132 },
          },
        },
      },
    },
  },
});

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
async function pageRows(env: Env, req: SearchRequest, choice: StrategyChoice): Promise<SearchRow[]> {
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
  };
}

export function registerPropertiesSearch(app: App) {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const req = parseSearchQuery(query);
    const cached = await cachedJson(c.env, { namespace: "search", key: normaliseQuery(query), waitUntil: afterResponse(c) }, () =>
      runSearch(c.env, req),
    );
    return cachedJsonResponse(c, cached);
  });
}
