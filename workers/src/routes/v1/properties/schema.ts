/**
 * The responses of the property reads: a search page (items, pagination, the empty-result hint) and the
 * detail. The property itself is pkg/properties/schema.ts; the search query is pkg/search/schema.ts.
 */
import { z } from "@hono/zod-openapi";
import { PropertyDetailSchema, PropertySchema } from "../../../pkg/properties/schema";

/** A search item may be a subset of the fields (`fields=`), so each one is optional in the list response. */
export const PropertyListItemSchema = PropertySchema.partial().openapi("PropertyListItem");

export const PaginationSchema = z
  .object({
    limit: z.number().int(),
    offset: z.number().int().optional(),
    next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last page" }),
    total: z.number().int().optional().openapi({ description: "Only with `count=true`" }),
  })
  .openapi("Pagination");

export const EmptyHintSchema = z
  .object({
    filter: z.literal("status").openapi({ description: "The filter that left the result empty" }),
    message: z.string().openapi({
      example: "No active listings match; 3801 sold listings do. Add them with status=active,sold.",
    }),
    other_statuses: z
      .record(z.string(), z.number().int())
      .openapi({ description: "Matches per status the filter leaves out (counted up to 10,000)", example: { sold: 3801 } }),
    suggested_status: z.string().openapi({ description: "A `status` value that includes them", example: "active,sold" }),
  })
  .openapi("EmptyHint");

export const SearchResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.array(PropertyListItemSchema),
    pagination: PaginationSchema,
    hint: EmptyHintSchema.optional().openapi({
      description:
        "Only on an empty first page whose other filters do match listings of statuses the `status` filter " +
        "(default `active`) leaves out: which filter emptied the result and how to include them.",
    }),
  })
  .openapi("PropertySearchResult");

export const PropertyDetailResponseSchema = z
  .object({ success: z.literal(true), data: PropertyDetailSchema })
  .openapi("PropertyDetailResult");
