import { z } from "@hono/zod-openapi";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { invalid } from "../../../pkg/search/invalid";
import { queryRows } from "../../../pkg/search/run";
import { type ItemRow, iso, toPropertyItem } from "./item";
import { PropertyDetailResponseSchema } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["properties"],
  operationId: "properties.get",
  method: "get",
  path: "/api/v1/properties/{id}",
  summary: "One property with its description, images, sources, attributes and history",
  description: "Public. An unknown or malformed id is a 404 with the error envelope.",
  request: {
    params: z.object({
      id: z
        .string()
        .max(100)
        .openapi({ param: { name: "id", in: "path" }, example: "0b8f7c2e-3c1d-4a51-9d0e-4f5b6a7c8d9e" }),
    }),
  },
  errors: {
    404: "No property has this id",
  },
  responses: {
    200: { description: "The property", content: { "application/json": { schema: PropertyDetailResponseSchema } } },
  },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Everything in one round trip: the row plus its children aggregated as JSON. */
const DETAIL_SQL = `
SELECT p.id, p.title, p.property_type, p.listing_type, p.status, p.price_minor, p.currency, p.price_per_sqm,
  p.bedrooms, p.bathrooms, p.parking_spaces, p.area_living_sqm, p.area_land_sqm, p.year_built,
  p.street, p.unit, p.city, p.state, p.postal_code, p.country, p.address_full,
  ST_Y(p.location::geometry) AS lat, ST_X(p.location::geometry) AS lng, p.location_precision,
  p.listed_at, p.updated_at, p.thumbnail_url, p.primary_source, p.quality_score,
  p.description, p.features, p.attributes,
  (SELECT s.source_url FROM property_sources s WHERE s.property_id = p.id AND s.source = p.primary_source
    ORDER BY s.last_seen_at DESC LIMIT 1) AS source_url,
  coalesce((SELECT json_agg(json_build_object('url', i.url, 'position', i.position, 'source', i.source) ORDER BY i.position, i.url)
    FROM property_images i WHERE i.property_id = p.id), '[]') AS images,
  coalesce((SELECT json_agg(json_build_object('name', s.source, 'listing_id', s.source_listing_id, 'url', s.source_url,
      'first_seen_at', s.first_seen_at, 'last_seen_at', s.last_seen_at, 'status', s.payload->>'status') ORDER BY s.first_seen_at, s.id)
    FROM property_sources s WHERE s.property_id = p.id), '[]') AS sources,
  coalesce((SELECT json_agg(json_build_object('type', e.type, 'old', e.old, 'new', e.new, 'source', e.source,
      'occurred_at', e.occurred_at, 'observed_at', e.at) ORDER BY e.occurred_at, e.id)
    FROM property_events e WHERE e.property_id = p.id), '[]') AS history
FROM properties p WHERE p.id = $1::uuid`;

type DetailRow = ItemRow & {
  description: string | null;
  features: string[];
  attributes: Record<string, unknown>;
  images: Array<{ url: string; position: number; source: string | null }>;
  sources: Array<{
    name: string;
    listing_id: string;
    url: string;
    first_seen_at: string;
    last_seen_at: string;
    status: string | null;
  }>;
  history: Array<{ type: string; old: unknown; new: unknown; source: string | null; occurred_at: string; observed_at: string }>;
};

export function registerPropertiesGet(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    // The detail takes no query parameters; an unknown one is a 400 rather than silently ignored.
    const [unknown] = Object.keys(c.req.queries());
    if (unknown !== undefined) throw invalid(unknown, "is not a known parameter");
    const notFound = new ApiError("NOT_FOUND", `No property with id ${JSON.stringify(id)}.`);
    if (!UUID.test(id)) throw notFound;
    const [row] = await queryRows<DetailRow>(c.env, { text: DETAIL_SQL, values: [id] });
    if (!row) throw notFound;
    return c.json(
      {
        success: true as const,
        data: {
          ...toPropertyItem(row),
          description: row.description,
          features: row.features,
          images: row.images,
          sources: row.sources.map((s) => ({ ...s, first_seen_at: iso(s.first_seen_at), last_seen_at: iso(s.last_seen_at) })),
          attributes: row.attributes,
          history: row.history.map((e) => ({
            type: e.type,
            old: e.old ?? null,
            new: e.new ?? null,
            source: e.source,
            at: iso(e.occurred_at),
            occurred_at: iso(e.occurred_at),
            observed_at: iso(e.observed_at),
          })),
        },
      },
      200,
    );
  });
}
