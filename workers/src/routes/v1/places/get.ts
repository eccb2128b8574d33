import type { z } from "@hono/zod-openapi";
import type { Env } from "../../../env";
import { cachedJson, cachedJsonResponse } from "../../../pkg/cache";
import { afterResponse } from "../../../pkg/hono/after-response";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { buildPlacesQuery, normalisePlaceQuery, type PlaceKind, type PlaceRow } from "../../../pkg/places/search";
import { normaliseQuery } from "../../../pkg/search/params";
import { queryRows } from "../../../pkg/search/run";
import { type PlaceSchema, PlacesQuerySchema, PlacesResponseSchema } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["places"],
  operationId: "places.get",
  method: "get",
  path: "/api/v1/places",
  summary: "Find localities, postcodes and regions (the place box)",
  description:
    "Places known from the gazetteer and from the stored properties, matching what a person typed: case-, accent- and " +
    "typo-tolerant, `Seattle WA` finds Seattle, Washington. Best match first, then the places holding most properties. " +
    "Each place has a centre, a box to fit a map to, and the search `filter` that selects its properties. Public.",
  request: { query: PlacesQuerySchema },
  responses: {
    200: { description: "Matching places (empty when none)", content: { "application/json": { schema: PlacesResponseSchema } } },
  },
});

const round = (x: number) => Math.round(x * 1e5) / 1e5;

export function placeFromRow(r: PlaceRow): z.infer<typeof PlaceSchema> {
  const bbox: [number, number, number, number] = [round(r.west), round(r.south), round(r.east), round(r.north)];
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    label: r.label,
    country: r.country,
    region: r.region,
    centre: { lat: round(r.lat), lng: round(r.lng) },
    bbox,
    property_count: r.property_count,
    // A place no filter parameter can express exactly (a GB postcode district) selects its box.
    filter: r.filter ?? { bbox: bbox.join(",") },
  };
}

export async function findPlaces(env: Env, query: z.infer<typeof PlacesQuerySchema>) {
  // Only punctuation ("%", "--"): nothing to match (an empty prefix would match every place).
  if (normalisePlaceQuery(query.q) === "") return { success: true as const, data: [] };
  const rows = await queryRows<PlaceRow>(
    env,
    buildPlacesQuery(query.q, {
      countries: query.country?.toUpperCase().split(","),
      kinds: query.kind?.split(",") as PlaceKind[] | undefined,
      limit: query.limit,
    }),
  );
  return { success: true as const, data: rows.map(placeFromRow) };
}

export function registerPlacesGet(app: App) {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const cached = await cachedJson(c.env, { namespace: "places", key: normaliseQuery(query), waitUntil: afterResponse(c) }, () =>
      findPlaces(c.env, query),
    );
    return cachedJsonResponse(c, cached);
  });
}
