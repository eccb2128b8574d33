/**
 * A property's location as the API gives it: the point, how exact it is, and whether it is approximate
 * (a postcode or locality centroid rather than the property's own position; docs/geocoding.md). Such
 * centroids come from the offline gazetteer (GeoNames postal codes, CC BY 4.0), whose notice travels with
 * them.
 */
import { z } from "@hono/zod-openapi";
import {
  APPROXIMATE_PRECISIONS,
  LOCATION_PRECISIONS,
  type LocationPrecision,
} from "../../../../connectors/contract/ingest/precision";

export type { LocationPrecision };

export const GAZETTEER_LOCATION_ATTRIBUTION = "Postcode and locality centroids © GeoNames (geonames.org), CC BY 4.0";

export const LocationSchema = z
  .object({
    lat: z.number(),
    lng: z.number(),
    precision: z
      .enum(LOCATION_PRECISIONS)
      .nullable()
      .openapi({
        description:
          "How exact the point is: `rooftop` / `street` (a geocoder's match), `source` (the listing's own point), " +
          "`postcode` (the postcode's or GB postcode district's centroid), `locality` (the town's or suburb's centroid); " +
          "null for points stored before precision was recorded",
        example: "postcode",
      }),
    approximate: z
      .boolean()
      .openapi({ description: "True for `postcode` and `locality`: the area's centroid, not the property" }),
    attribution: z.string().optional().openapi({ description: "Data notice of an approximate point's source" }),
  })
  .openapi("Location");

export type Location = z.infer<typeof LocationSchema>;

export function locationOf(lat: number | null, lng: number | null, precision: LocationPrecision | null): Location | null {
  if (lat === null || lng === null) return null;
  const approximate = precision !== null && APPROXIMATE_PRECISIONS.includes(precision);
  return {
    lat,
    lng,
    precision: precision ?? null,
    approximate,
    ...(approximate ? { attribution: GAZETTEER_LOCATION_ATTRIBUTION } : {}),
  };
}
