import { z } from "@hono/zod-openapi";
import { LISTING_TYPES, PROPERTY_TYPES, STATUSES } from "../../../../../connectors/contract/vocabulary";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import type { LiveFilters } from "../../../pkg/live/filters";
import { LIVE_HUB_NAME, type SubscribeRequest } from "../../../pkg/live/protocol";
import { apiRoute } from "../../../pkg/openapi/route";

const list = <T extends string>(values: readonly T[], name: string) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((xs) => xs.every((x) => (values as readonly string[]).includes(x)), {
      message: `${name} must be a comma-separated list of ${values.join(", ")}`,
    })
    .openapi({ description: `Comma-separated: ${values.join(", ")}` });
const strings = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);
const num = (min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().min(min).max(max);
const date = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: "must be an ISO 8601 date" })
  .transform((s) => new Date(s).toISOString());
const coordinate = (s: string) => s.split(",").map((x) => Number(x.trim()));

export const LiveQuerySchema = z
  .object({
    property_type: list(PROPERTY_TYPES, "property_type").optional(),
    listing_type: list(LISTING_TYPES, "listing_type").optional(),
    status: list(STATUSES, "status").optional().openapi({ description: "Comma-separated statuses (default active)" }),
    min_price: num().optional(),
    max_price: num().optional(),
    min_bedrooms: num(0, 100).optional(),
    max_bedrooms: num(0, 100).optional(),
    min_bathrooms: num(0, 100).optional(),
    min_area: num().optional(),
    max_area: num().optional(),
    min_land_area: num().optional(),
    year_built_min: num(0, 3000).optional(),
    year_built_max: num(0, 3000).optional(),
    city: z.string().trim().min(1).max(200).optional(),
    state: z.string().trim().min(1).max(100).optional(),
    postal_code: z.string().trim().min(1).max(20).optional(),
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 code")
      .optional(),
    source: strings.optional(),
    features: strings.optional(),
    q: z.string().trim().min(1).max(200).optional(),
    listed_since: date.optional(),
    updated_since: date.optional(),
    bbox: z
      .string()
      .transform(coordinate)
      .refine(
        (b) => b.length === 4 && b.every(Number.isFinite) && b[0]! < b[2]! && b[1]! < b[3]! && b[1]! >= -90 && b[3]! <= 90,
        { message: "must be minLng,minLat,maxLng,maxLat" },
      )
      .optional()
      .openapi({ example: "-122.36,47.60,-122.30,47.63" }),
    near: z
      .string()
      .transform(coordinate)
      .refine((p) => p.length === 2 && Math.abs(p[0]!) <= 90 && Math.abs(p[1]!) <= 180, { message: "must be lat,lng" })
      .optional()
      .openapi({ example: "47.6062,-122.3321" }),
    radius_km: num(0, 100).optional(),
    polygon: z
      .string()
      .transform((s) => s.split(";").map(coordinate))
      .refine((ring) => ring.length >= 3 && ring.length <= 200 && ring.every((p) => p.length === 2 && p.every(Number.isFinite)), {
        message: "must be 3–200 points lat,lng;lat,lng;…",
      })
      .optional(),
    timeout: z.coerce.number().int().min(1).max(600).default(300).openapi({
      description: "Seconds after which the server ends the stream (EventSource reconnects by itself). Default 300.",
    }),
  })
  .strict()
  .refine((q) => (q.near === undefined) === (q.radius_km === undefined), {
    message: "near and radius_km go together",
    path: ["near"],
  });

/** Route query → the hub's filter object (status defaults to active, as in search). */
export function toLiveFilters(q: z.infer<typeof LiveQuerySchema>): LiveFilters {
  const { timeout: _t, near, polygon, bbox, ...rest } = q;
  return {
    ...rest,
    status: rest.status?.length ? rest.status : ["active"],
    ...(bbox ? { bbox: bbox as [number, number, number, number] } : {}),
    ...(near ? { near: { lat: near[0]!, lng: near[1]! } } : {}),
    ...(polygon ? { polygon: polygon.map(([lat, lng]) => [lng!, lat!] as [number, number]) } : {}),
  };
}

const route = apiRoute({
  access: "anonymous",
  tags: ["live"],
  operationId: "live.subscribe",
  method: "get",
  path: "/api/v1/live",
  summary: "Live updates for a search (Server-Sent Events)",
  description:
    "Takes the filters of `GET /api/v1/properties` and streams `text/event-stream`: `ready` once, then `created` (a new matching property) and `changed` (a matching property's price or status changed) with the search item as JSON `data`. Use `EventSource`.",
  request: { query: LiveQuerySchema },
  errors: {
    503: "Live updates are not configured",
    400: "A filter is not valid",
  },
  responses: {
    200: {
      description: "An event stream",
      content: {
        "text/event-stream": { schema: z.string().openapi({ example: 'event: created\ndata: {"id":"…","price":450000}\n\n' }) },
      },
    },
  },
});

export function registerLiveGet(app: App) {
  app.openapi(route, async (c) => {
    const hub = c.env.LIVE_HUB;
    if (!hub) throw new ApiError("SERVICE_UNAVAILABLE", "Live updates are not configured (LIVE_HUB binding missing).");
    const query = c.req.valid("query");
    const body: SubscribeRequest = { filters: toLiveFilters(query), timeoutSeconds: query.timeout };
    const res = await hub.get(hub.idFromName(LIVE_HUB_NAME)).fetch("https://live-hub/subscribe", {
      method: "POST",
      body: JSON.stringify(body),
    });
    return new Response(res.body, { status: 200, headers: res.headers }) as never;
  });
}
