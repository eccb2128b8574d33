import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import { cachedJson } from "../../../pkg/cache";
import { afterResponse } from "../../../pkg/hono/after-response";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { invalid } from "../../../pkg/search/invalid";
import { normaliseQuery, parseFilters } from "../../../pkg/search/params";
import { queryRows } from "../../../pkg/search/run";
import { SearchQuerySchema } from "../../../pkg/search/schema";
import { buildTileQuery, CLUSTER_LAYER, CLUSTER_MAX_ZOOM, MAX_ZOOM, POINT_LAYER, type Tile } from "../../../pkg/search/tiles";
import { MVT_CONTENT_TYPE, TileParamsSchema, TileRouteParamsSchema } from "./schema";

/** Parameters of the list search that do not change which properties a tile holds. */
const PAGING = ["sort", "limit", "offset", "cursor", "count", "fields"];

const description =
  "A Mapbox Vector Tile of the properties matching the search: the same filters as `GET /api/v1/properties` " +
  "(its paging and sort parameters are accepted and ignored, so a tile URL can carry a search's query string as it is). " +
  `Up to zoom ${CLUSTER_MAX_ZOOM}, layer \`${CLUSTER_LAYER}\`: one point per grid cell (8 × 8 cells a tile) and currency, ` +
  "with `count`, `currency` and `median_price` (whole units, over a sample of at most about 20,000 rows a tile; absent " +
  "when the cell's sample is empty), plus `id`, `price`, `type` and `approximate` when the cell holds one property. Above it, layer " +
  `\`${POINT_LAYER}\`: one point per property with \`id\`, \`price\`, \`currency\`, \`type\` and \`approximate\` (true when ` +
  "the point is a postcode or locality centroid, not the property's own position). Every property is in exactly " +
  "one tile of a zoom, so the counts of a zoom's tiles add up to the search's `total` (of the geocoded properties). Public.";

const responses = {
  200: {
    description: "The tile (empty when nothing matches in it)",
    content: { [MVT_CONTENT_TYPE]: { schema: z.string().openapi({ format: "binary" }) } },
  },
};

/** For the OpenAPI document only: the path as clients write it. */
const documented = apiRoute({
  access: "anonymous",
  tags: ["tiles"],
  operationId: "tiles.get",
  method: "get",
  path: "/api/v1/tiles/{z}/{x}/{y}.mvt",
  summary: "Vector tile of a search",
  description,
  request: { params: TileParamsSchema, query: SearchQuerySchema },
  responses,
});

/** The same operation as the router matches it (`{y}` is the segment `12.mvt`). */
const route = createRoute({
  ...documented,
  hide: true,
  path: "/api/v1/tiles/{z}/{x}/{y}",
  request: { params: TileRouteParamsSchema, query: SearchQuerySchema },
});

function checkTile(tile: Tile): Tile {
  if (tile.z > MAX_ZOOM) throw invalid("z", `must be at most ${MAX_ZOOM}`);
  const n = 2 ** tile.z;
  if (tile.x >= n) throw invalid("x", `must be less than 2^z = ${n}`);
  if (tile.y >= n) throw invalid("y", `must be less than 2^z = ${n}`);
  return tile;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function registerTilesGet(app: App) {
  // The document takes the operation without its runtime part (the guard list is not OpenAPI).
  const { middleware: _guard, ...operation } = documented as RouteConfig;
  app.openAPIRegistry.registerPath(operation);
  app.openapi(route, async (c) => {
    const tile = checkTile(c.req.valid("param"));
    const query = c.req.valid("query");
    const filters = parseFilters(query);
    const key = `${tile.z}/${tile.x}/${tile.y}?${normaliseQuery(query, PAGING)}`;
    // The cache stores text: the tile travels base64-encoded, as the database returns it.
    const cached = await cachedJson(c.env, { namespace: "tiles", key, waitUntil: afterResponse(c) }, async () => {
      const rows = await queryRows<{ tile: string }>(c.env, buildTileQuery(filters, tile));
      return rows[0]?.tile ?? "";
    });
    const res = c.body(decodeBase64(JSON.parse(cached.body) as string), 200, { "Content-Type": MVT_CONTENT_TYPE });
    res.headers.set("ETag", cached.etag);
    res.headers.set("X-Cache", cached.cache);
    return res;
  });
}
