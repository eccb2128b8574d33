import { z } from "@hono/zod-openapi";
import { FACET_FIELDS } from "../../../pkg/search/facets";
import { filterQueryShape } from "../../../pkg/search/params";

export const FacetsQuerySchema = z
  .object({
    ...filterQueryShape,
    fields: z
      .string()
      .regex(/^[a-z_]+(,[a-z_]+)*$/, "must be a comma-separated list of facet fields")
      .openapi({ description: `Facet fields: ${FACET_FIELDS.join(", ")}`, example: "property_type,city" }),
    limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: "Values per field, 1–100", example: 20 }),
  })
  .strict();

export const FacetValueSchema = z
  .object({
    value: z.string().openapi({ description: "The value to filter by", example: "oakland" }),
    label: z.string().openapi({ description: "Display form", example: "Oakland" }),
    count: z.number().int(),
  })
  .openapi("FacetValue");

export const FacetsResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.record(z.string(), z.array(FacetValueSchema)).openapi({
      description: "Field → its most common values among the filtered properties, most common first",
      example: { property_type: [{ value: "apartment", label: "apartment", count: 120 }] },
    }),
  })
  .openapi("FacetsResult");
