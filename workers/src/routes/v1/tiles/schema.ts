/**
 * Tile coordinates. The query is the search's own schema (`SearchQuerySchema`): a tile URL carries a
 * list search's query string as it is; its paging and sort parameters do not change a tile.
 */
import { z } from "@hono/zod-openapi";

const coordinate = (name: string, description: string, example: number) =>
  z
    .string()
    .regex(/^\d{1,8}$/, `${name} must be a whole number`)
    .transform(Number)
    .openapi({ param: { name, in: "path" }, description, example: String(example) });

/** What the documentation shows: `/tiles/{z}/{x}/{y}.mvt`. */
export const TileParamsSchema = z.object({
  z: coordinate("z", "Zoom, 0–22", 12),
  x: coordinate("x", "Column, 0 … 2^z − 1", 655),
  y: coordinate("y", "Row, 0 … 2^z − 1 (from the north)", 1430),
});

/**
 * What the router sees: Hono takes a whole path segment as one parameter, so the last one is
 * `{y}.mvt` and its suffix is checked here (a 400 naming `y`, like a bad number).
 */
export const TileRouteParamsSchema = TileParamsSchema.extend({
  y: z
    .string()
    .regex(/^\d{1,8}\.mvt$/, "y must be a whole number followed by .mvt")
    .transform((s) => Number(s.slice(0, -4))),
});

export const MVT_CONTENT_TYPE = "application/vnd.mapbox-vector-tile";
