/**
 * The search query of GET /api/v1/properties: the shared filters plus sort and paging. Map tiles and
 * saved searches take the same query, so they accept and reject exactly what the search does.
 */
import { z } from "@hono/zod-openapi";
import { filterQueryShape } from "./params";
import { SORTS } from "./sort";

export const MAX_LIMIT = 100;
export const MAX_OFFSET_WINDOW = 10_000;

export const SearchQuerySchema = z
  .object({
    ...filterQueryShape,
    sort: z
      .enum(SORTS)
      .default("-listed_at")
      .openapi({ description: "Sort order; `distance` needs `near`. Ties are broken by id.", example: "-listed_at" }),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(20).openapi({ description: "Page size, 1–100", example: 20 }),
    offset: z.coerce
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({ description: `Rows to skip; offset + limit ≤ ${MAX_OFFSET_WINDOW}. Prefer \`cursor\`.`, example: 0 }),
    cursor: z.string().max(2000).optional().openapi({ description: "`pagination.next_cursor` of the previous page" }),
    count: z.enum(["true", "false"]).optional().openapi({ description: "`true` adds `pagination.total`", example: "true" }),
    fields: z
      .string()
      .regex(/^[a-z_]+(,[a-z_]+)*$/, "must be a comma-separated list of field names")
      .optional()
      .openapi({ description: "Return only these item fields, e.g. `id,price,location`", example: "id,title,price,location" }),
  })
  .strict();

export type SearchQuery = z.infer<typeof SearchQuerySchema>;
