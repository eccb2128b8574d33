/**
 * The property as live subscribers receive it: the search item's fields (same names as
 * GET /api/v1/properties), plus `features` and `description` for matching. Loaded for all changed ids
 * in one query.
 */
import type { Env } from "../../env";
import { type ItemRow, toPropertyItem } from "../../routes/v1/properties/item";
import type { Property } from "../../routes/v1/properties/schema";
import { getSql } from "../db";

export type LiveItem = Property & { description: string | null; features: string[] };

type LiveRow = ItemRow & { description: string | null; features: string[] | null };

export async function loadLiveItems(env: Env, ids: string[]): Promise<LiveItem[]> {
  if (ids.length === 0) return [];
  const rows = (await getSql(env).query(
    `SELECT p.id, p.title, left(p.description, 2000) AS description, p.property_type, p.listing_type, p.status,
            p.price_minor, p.currency, p.price_per_sqm, p.bedrooms, p.bathrooms, p.parking_spaces,
            p.area_living_sqm, p.area_land_sqm, p.year_built, p.street, p.unit, p.city, p.state, p.postal_code,
            p.country, p.address_full, p.lat, p.lng, p.location_precision,
            p.listed_at, p.updated_at, p.thumbnail_url, p.primary_source, p.quality_score, p.features,
            (SELECT ps.source_url FROM property_sources ps
              WHERE ps.property_id = p.id AND ps.source = p.primary_source ORDER BY ps.last_seen_at DESC LIMIT 1) AS source_url
       FROM properties p WHERE p.id = ANY($1::uuid[])`,
    [ids],
  )) as LiveRow[];
  // The same item as the search returns (one mapping), plus what live filters match on.
  return rows.map((r) => ({ ...toPropertyItem(r), description: r.description, features: r.features ?? [] }));
}
