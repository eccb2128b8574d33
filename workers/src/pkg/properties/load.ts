/**
 * Loading properties by id, each in one round trip: the detail (GET /api/v1/properties/{id}), the items
 * live subscribers receive, and the facts of the share page's link preview. The selections come from
 * `columns.ts`; the mapping to the API's shape from `item.ts`.
 */
import type { Env } from "../../env";
import { getSql } from "../db";
import { queryRows } from "../search/run";
import { DETAIL_COLUMNS, ITEM_SELECT, primarySourceUrl, type RowOf, SHARE_COLUMNS, selectList } from "./columns";
import { type ItemRow, iso, toPropertyItem } from "./item";
import type { Property, PropertyDetail } from "./schema";

/** Everything in one round trip: the row plus its children aggregated as JSON. */
const DETAIL_SQL = `
SELECT ${ITEM_SELECT}, ${selectList(DETAIL_COLUMNS, "p")},
  ${primarySourceUrl("p")} AS source_url,
  coalesce((SELECT json_agg(json_build_object('url', i.url, 'position', i.position, 'source', i.source) ORDER BY i.position, i.url)
    FROM property_images i WHERE i.property_id = p.id), '[]') AS images,
  coalesce((SELECT json_agg(json_build_object('name', s.source, 'listing_id', s.source_listing_id, 'url', s.source_url,
      'first_seen_at', s.first_seen_at, 'last_seen_at', s.last_seen_at, 'status', s.payload->>'status') ORDER BY s.first_seen_at, s.id)
    FROM property_sources s WHERE s.property_id = p.id), '[]') AS sources,
  coalesce((SELECT json_agg(json_build_object('type', e.type, 'old', e.old, 'new', e.new, 'source', e.source,
      'occurred_at', e.occurred_at, 'observed_at', e.at) ORDER BY e.occurred_at, e.id)
    FROM property_events e WHERE e.property_id = p.id), '[]') AS history
FROM properties p WHERE p.id = $1::uuid`;

type DetailRow = ItemRow &
  RowOf<(typeof DETAIL_COLUMNS)[number]> & {
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

/** The property with its description, images, sources, attributes and history; null when no row has this id (a uuid). */
export async function loadPropertyDetail(env: Env, id: string): Promise<PropertyDetail | null> {
  const [row] = await queryRows<DetailRow>(env, { text: DETAIL_SQL, values: [id] });
  if (!row) return null;
  return {
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
  };
}

/** The item as search returns it, plus what live filters match on: the features and (the start of) the description. */
export type PropertyWithText = Property & { description: string | null; features: string[] };

const ITEMS_SQL = `SELECT ${ITEM_SELECT}, left(p.description, 2000) AS description, p.features,
  ${primarySourceUrl("p")} AS source_url
  FROM properties p WHERE p.id = ANY($1::uuid[])`;

/** The items of these ids (uuids) in one query; ids without a row are left out. */
export async function loadPropertyItems(env: Env, ids: string[]): Promise<PropertyWithText[]> {
  if (ids.length === 0) return [];
  const rows = (await getSql(env).query(ITEMS_SQL, [ids])) as Array<
    ItemRow & { description: string | null; features: string[] | null }
  >;
  return rows.map((r) => ({ ...toPropertyItem(r), description: r.description, features: r.features ?? [] }));
}

export type ShareFacts = RowOf<(typeof SHARE_COLUMNS)[number]>;

const SHARE_SQL = `SELECT ${selectList(SHARE_COLUMNS)} FROM properties WHERE id = $1`;

/** What a shared link's preview says about the property (id: a uuid); null when there is none. */
export async function loadShareFacts(env: Env, id: string): Promise<ShareFacts | null> {
  const rows = (await getSql(env).query(SHARE_SQL, [id])) as ShareFacts[];
  return rows[0] ?? null;
}
