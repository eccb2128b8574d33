import { z } from "@hono/zod-openapi";
import { geocode } from "../../../pkg/geocode";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";

const COUNTRIES = ["AU", "NZ", "US", "GB", "MT"] as const;

export const GeocodeRequestSchema = z
  .object({
    address: z
      .string()
      .trim()
      .min(1, "address must not be empty")
      .max(500)
      .openapi({ example: "123 Main Street, San Francisco, CA 94102" }),
    country: z.enum(COUNTRIES).optional().openapi({ description: "ISO country code, when the address itself does not say" }),
  })
  .strict()
  .openapi("GeocodeRequest");

const ComponentsSchema = z
  .object({
    street_number: z.string(),
    street_name: z.string(),
    unit: z.string(),
    suburb: z.string(),
    city: z.string(),
    state: z.string().openapi({ description: "Full name; abbreviations are expanded" }),
    postal_code: z.string(),
    country: z.string().openapi({ description: "Full name, e.g. United States" }),
    country_code: z.string().openapi({ description: "ISO 3166-1 alpha-2, or empty" }),
  })
  .partial()
  .openapi("AddressComponents");

export const GeocodeResultSchema = z
  .object({
    status: z.enum(["OK", "ZERO_RESULTS", "INVALID_REQUEST", "PARSE_ERROR"]),
    components: ComponentsSchema.openapi({ description: "`{}` when the address could not be parsed" }),
    raw_input: z.string(),
    location: z.object({ lat: z.number(), lng: z.number() }).nullable(),
    precision: z.enum(["rooftop", "street", "postcode", "locality"]).nullable(),
    provider: z.enum(["nominatim", "gazetteer"]).nullable(),
    fallback_reason: z
      .enum(["provider_not_configured", "provider_unavailable", "provider_over_budget", "provider_no_result"])
      .optional()
      .openapi({ description: "Why the offline gazetteer answered instead of the geocoder" }),
    cached: z.boolean(),
    message: z.string().optional(),
    attribution: z.string().optional(),
  })
  .openapi("GeocodeResult");

export const GeocodeResponseSchema = z.object({ success: z.literal(true), data: GeocodeResultSchema }).openapi("GeocodeResponse");

const route = apiRoute({
  access: ["user", "service"],
  tags: ["geocode"],
  operationId: "geocode.post",
  method: "post",
  path: "/api/v1/geocode",
  summary: "Parse and geocode a free-form address",
  description:
    "Parses an AU, NZ, US, GB or MT address into components and adds coordinates: a Nominatim-compatible geocoder first " +
    "(cached, one request per second for the whole platform), else the offline postcode/locality gazetteer (low precision, " +
    "`fallback_reason` says why). Domain outcomes (`OK`, `ZERO_RESULTS`, `PARSE_ERROR`, `INVALID_REQUEST` for PO boxes) " +
    "are 200 answers; a missing or empty `address` is a 400.",
  request: { body: { required: true, content: { "application/json": { schema: GeocodeRequestSchema } } } },
  responses: {
    200: { description: "The parse and geocode outcome", content: { "application/json": { schema: GeocodeResponseSchema } } },
  },
});

export function registerGeocodePost(app: App) {
  app.openapi(route, async (c) => {
    const { address, country } = c.req.valid("json");
    const data = await geocode(c.env, address, { country });
    return c.json({ success: true as const, data: data as z.infer<typeof GeocodeResultSchema> }, 200);
  });
}
