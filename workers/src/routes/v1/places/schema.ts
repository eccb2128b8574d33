import { z } from "@hono/zod-openapi";
import { boundedText } from "../../../../../connectors/contract/validation/bounded";
import { PLACE_KINDS } from "../../../pkg/places/search";

export const PlacesQuerySchema = z
  .object({
    q: boundedText(100).trim().min(1).openapi({
      description:
        "What the person typed: a locality, postcode or region, optionally with its region (`Seattle WA`). Case-, accent- and typo-tolerant.",
      example: "Seattle WA",
    }),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}(,[A-Za-z]{2})*$/, "must be ISO 3166-1 alpha-2 codes")
      .optional()
      .openapi({ description: "Only places in these countries (ISO 3166-1 alpha-2, comma-separated).", example: "US" }),
    kind: z
      .string()
      .regex(
        new RegExp(`^(${PLACE_KINDS.join("|")})(,(${PLACE_KINDS.join("|")}))*$`),
        `must be a comma-separated list of ${PLACE_KINDS.join(", ")}`,
      )
      .optional()
      .openapi({ description: `Only these kinds of place: ${PLACE_KINDS.join(", ")}.`, example: "locality" }),
    limit: z.coerce.number().int().min(1).max(20).default(8).openapi({ description: "Places to return, 1–20", example: 8 }),
  })
  .strict();

export const PlaceSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: "The place's key: kind, country, name and region", example: "locality:US:Seattle:Washington" }),
    kind: z.enum(PLACE_KINDS),
    name: z.string().openapi({ example: "Seattle" }),
    label: z.string().openapi({ description: "Name with its region and country, for display", example: "Seattle, WA, US" }),
    country: z.string().openapi({ example: "US" }),
    region: z.string().nullable().openapi({ example: "Washington" }),
    centre: z
      .object({ lat: z.number(), lng: z.number() })
      .openapi({ description: "Where the properties are (their mean), else the gazetteer's centre" }),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).openapi({
      description: "West, south, east, north in degrees: what to fit a map to",
      example: [-122.44, 47.5, -122.24, 47.73],
    }),
    property_count: z
      .number()
      .int()
      .openapi({ description: "Properties stored in the place (as of the last refresh, every 10 minutes)" }),
    filter: z.record(z.string(), z.string()).openapi({
      description:
        "The search parameters that select the place's properties in `GET /api/v1/properties` (and tiles, stats, facets): " +
        "`city` + `country` (+ `state`) for a locality, `postal_code` + `country` or `bbox` for a postcode, `state` + `country` for a region",
      example: { city: "Seattle", state: "WA", country: "US" },
    }),
  })
  .openapi("Place");

export const PlacesResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.array(PlaceSchema).openapi({ description: "Best match first: by how well the words match, then by property count" }),
  })
  .openapi("PlacesResult");
