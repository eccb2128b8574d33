/**
 * The search query. One statement per page; its shape is chosen so the planner cannot fall into the
 * traps measured in postgres-floor §9:
 *
 * - `plain`: filters + ORDER BY the sort key + LIMIT. The planner walks the sort index (or the city
 *   index, the KNN GiST scan for `distance`) and stops after one page.
 * - `fenced`: the filtered set is computed first behind an `OFFSET 0` fence and only then sorted.
 *   Used for rare full-text terms (P6): the GIN index finds the few matches at once, instead of a
 *   walk in date order that detoasts every row's tsvector to test it.
 * - `spatial`: for a radius, box or polygon sorted by anything but distance (P5), one statement
 *   first counts the area's rows up to a cap through the GiST index. A sparse area is fenced (GiST,
 *   then sort the few rows); a dense one walks the sort index with the area test hidden from the
 *   planner, because a dense area fills a page after a short walk while the planner, which
 *   underestimates dense areas 20×, would fetch and sort all of them. Only the chosen branch runs
 *   (one-time filters on an InitPlan).
 */
import { filterConditions } from "./filters";
import { nearPoint } from "./geo";
import type { Filters } from "./params";
import { type Cursor, distanceSort, keysetCondition, SORT_SPECS, type SortName, type SortSpec } from "./sort";
import { and, SqlParams, type SqlQuery } from "./sql";

export type Strategy = "plain" | "fenced" | "spatial";

export type SearchPlan = {
  filters: Filters;
  sort: SortName;
  limit: number;
  offset: number;
  cursor?: Cursor;
  strategy: Strategy;
};

/** The columns of a list item (the card): no description, attributes or tsvector. */
const ITEM_COLUMNS = `p.id, p.title, p.property_type, p.listing_type, p.status, p.price_minor, p.currency, p.price_per_sqm,
  p.bedrooms, p.bathrooms, p.parking_spaces, p.area_living_sqm, p.area_land_sqm, p.year_built,
  p.street, p.unit, p.city, p.state, p.postal_code, p.country, p.address_full,
  ST_Y(p.location::geometry) AS lat, ST_X(p.location::geometry) AS lng,
  p.listed_at, p.updated_at, p.thumbnail_url, p.primary_source, p.quality_score`;

export function sortSpec(p: SqlParams, plan: Pick<SearchPlan, "filters" | "sort">): SortSpec {
  if (plan.sort !== "distance") return SORT_SPECS[plan.sort];
  const near = plan.filters.geo.near;
  if (!near) throw new Error("distance sort needs near (checked by the route)");
  return distanceSort(nearPoint(p, near));
}

type Segment = { name: "value" | "null"; where: string[] };

/** The segments a page may come from, after the cursor. */
function segments(p: SqlParams, s: SortSpec, cursor?: Cursor): Segment[] {
  if (!s.nullable) return [{ name: "value", where: cursor ? [keysetCondition(p, s, cursor)] : [] }];
  if (cursor?.segment === "null") return [{ name: "null", where: [`${s.column} IS NULL`, keysetCondition(p, s, cursor)] }];
  return [
    { name: "value", where: [`${s.column} IS NOT NULL`, ...(cursor ? [keysetCondition(p, s, cursor)] : [])] },
    { name: "null", where: [`${s.column} IS NULL`] },
  ];
}

function distanceColumn(p: SqlParams, filters: Filters, s: SortSpec): string {
  if (s.name === "distance") return `, ${s.column} AS _distance_m`;
  if (filters.geo.near) return `, ST_Distance(p.location, ${nearPoint(p, filters.geo.near)}, false) AS _distance_m`;
  return "";
}

/** One segment's page: rows in (key, id) order, at most `take` of them. */
function segmentQuery(
  p: SqlParams,
  plan: SearchPlan,
  s: SortSpec,
  seg: Segment,
  fenced: boolean,
  geoIndexable: boolean,
  take: number,
) {
  const where = and([...filterConditions(p, plan.filters, { geoIndexable }), ...seg.where]);
  const cols = `${ITEM_COLUMNS}${distanceColumn(p, plan.filters, s)}, ${s.column}::text AS _k, '${seg.name}' AS _g`;
  const keyOrder = seg.name === "null" ? `p.id ${s.desc ? "DESC" : "ASC"}` : `${s.column} ${s.order}, p.id ${s.order}`;
  if (!fenced) return `SELECT ${cols} FROM properties p WHERE ${where} ORDER BY ${keyOrder} LIMIT ${take}`;
  // The fence: no ORDER BY or LIMIT inside, so the planner picks the cheapest way to find the whole
  // (small) set, e.g. the GIN or GiST index, and the outer query sorts it.
  const sortKey = seg.name === "null" ? "" : `${s.column} AS _sk, `;
  const outerOrder = seg.name === "null" ? `c.id ${s.desc ? "DESC" : "ASC"}` : `c._sk ${s.order}, c.id ${s.order}`;
  return `SELECT c.* FROM (SELECT ${sortKey}${cols} FROM properties p WHERE ${where} OFFSET 0) c ORDER BY ${outerOrder} LIMIT ${take}`;
}

/** The page's rows in order, `limit + 1` of them at most (the extra row says whether there is a next page). */
function pageQuery(p: SqlParams, plan: SearchPlan, fenced: boolean, geoIndexable: boolean): string {
  const s = sortSpec(p, plan);
  const take = plan.offset + plan.limit + 1;
  const parts = segments(p, s, plan.cursor).map((seg) => `(${segmentQuery(p, plan, s, seg, fenced, geoIndexable, take)})`);
  // UNION ALL of segments: Postgres' (non-parallel) Append returns its children in order and stops
  // once the LIMIT is met, so the NULL segment is read only when the value segment runs out.
  const body = parts.length === 1 ? `SELECT * FROM ${parts[0]} s1` : `${parts.join(" UNION ALL ")}`;
  return `SELECT * FROM (${body}) pg OFFSET ${plan.offset} LIMIT ${plan.limit + 1}`;
}

/** Smallest area row count that counts as dense: √(rows needed × table rows), at least 1,000. */
function denseThreshold(p: SqlParams, take: number): string {
  return `(SELECT greatest(1000, sqrt(${p.add(take, "float8")} * greatest(reltuples, 0)))::int FROM pg_class WHERE oid = 'properties'::regclass)`;
}

export function buildSearchQuery(plan: SearchPlan): SqlQuery {
  const p = new SqlParams();
  let rows: string;
  if (plan.strategy === "spatial") {
    const cap = denseThreshold(p, plan.offset + plan.limit);
    const geoOnly = and(filterConditionsGeoOnly(p, plan.filters));
    rows = `WITH probe AS MATERIALIZED (
        SELECT count(*) < ${cap} AS sparse FROM (SELECT 1 FROM properties p WHERE ${geoOnly} LIMIT ${cap}) a)
      SELECT * FROM (${pageQuery(p, plan, true, true)}) sparse WHERE (SELECT sparse FROM probe)
      UNION ALL
      SELECT * FROM (${pageQuery(p, plan, false, false)}) dense WHERE NOT (SELECT sparse FROM probe)`;
  } else {
    rows = pageQuery(p, plan, plan.strategy === "fenced", true);
  }
  // Decorate the page (≤ 101 rows) with the primary source's URL; row_number keeps the page order.
  const text = `SELECT r.*, src.source_url FROM (SELECT q.*, row_number() OVER () AS _rn FROM (${rows}) q) r
    LEFT JOIN LATERAL (SELECT s.source_url FROM property_sources s WHERE s.property_id = r.id AND s.source = r.primary_source
      ORDER BY s.last_seen_at DESC LIMIT 1) src ON true
    ORDER BY r._rn`;
  return { text, values: p.values };
}

function filterConditionsGeoOnly(p: SqlParams, filters: Filters): string[] {
  return filterConditions(p, { statuses: filters.statuses, geo: filters.geo }, { geoIndexable: true });
}

export function buildCountQuery(filters: Filters): SqlQuery {
  const p = new SqlParams();
  const text = `SELECT count(*)::int AS total FROM properties p WHERE ${and(filterConditions(p, filters))}`;
  return { text, values: p.values };
}
