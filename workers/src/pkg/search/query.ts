/**
 * The search query. One statement per page (one HTTP round trip); its shape is chosen so the planner
 * cannot fall into the traps measured in postgres-floor §9:
 *
 * - `plain`: filters + ORDER BY the sort key + LIMIT. The planner walks the sort index (or the city
 *   index) and stops after one page.
 * - `fenced`: the filtered set is computed first behind an `OFFSET 0` fence and only then sorted.
 *   Used for rare full-text terms (P6): the GIN index finds the few matches at once, instead of a
 *   walk in date order that detoasts every row's tsvector to test it.
 * - `walk`: a common full-text term. The same statement as `plain`, with `enable_sort = off` so the
 *   planner walks the sort index (a page fills after a few rows) rather than sorting the GIN's
 *   hundreds of thousands of matches.
 * - `spatial` (radius, box or polygon): the statement first counts the area's rows through the GiST
 *   index, up to a cap. A sparse area is fenced (GiST, then sort the few rows); a dense one must not
 *   be fetched whole and sorted (P5; the planner underestimates dense areas 20-40×), so it runs with
 *   `enable_sort = off`: the planner walks the sort index, or for `distance` the GiST KNN scan
 *   (and `enable_seqscan = off`, so the probe always counts through the GiST index).
 *   Only the chosen branch executes (one-time filters on the probe's InitPlan).
 *
 * Distance is special: a KNN scan can order by distance only, not by (distance, id). The KNN part
 * fetches `take + slack` rows by distance and the outer query orders them by (distance, id); the
 * `_cut`/`_tie` columns tell the caller when equal distances may straddle the cut (same building),
 * and it then repeats with more slack (see `runSearch`).
 */
import { filterConditions } from "./filters";
import { geoConditions, nearPoint } from "./geo";
import type { Filters } from "./params";
import type { PlannerSettings } from "./run";
import { type Cursor, distanceSort, keysetCondition, SORT_SPECS, type SortName, type SortSpec } from "./sort";
import { and, SqlParams, type SqlQuery } from "./sql";

export type Strategy = "plain" | "fenced" | "walk" | "spatial";

export type SearchPlan = {
  filters: Filters;
  sort: SortName;
  limit: number;
  offset: number;
  cursor?: Cursor;
  strategy: Strategy;
  /** Extra rows a distance KNN scan fetches beyond the page, to see ties at the cut. */
  distanceSlack?: number;
};

export const DEFAULT_DISTANCE_SLACK = 20;

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

type Shape = { fenced: boolean; take: number; slack: number };

/** One segment's page: rows in (key, id) order, at most `take` of them. */
function segmentQuery(p: SqlParams, plan: SearchPlan, s: SortSpec, seg: Segment, shape: Shape): string {
  const where = and([...filterConditions(p, plan.filters), ...seg.where]);
  const cols = `${ITEM_COLUMNS}${distanceColumn(p, plan.filters, s)}, ${s.column} AS _sk, ${s.column}::text AS _k, '${seg.name}' AS _g`;
  const dir = s.desc ? "DESC" : "ASC";
  const outerOrder = seg.name === "null" ? `c.id ${dir}` : `c._sk ${s.order}, c.id ${s.order}`;
  if (s.name === "distance") {
    // The KNN scan orders by distance alone; (distance, id) order comes from the outer sort.
    const inner = shape.fenced
      ? `SELECT ${cols} FROM properties p WHERE ${where} OFFSET 0`
      : `SELECT ${cols} FROM properties p WHERE ${where} ORDER BY ${s.column} LIMIT ${shape.take + shape.slack}`;
    const cut = shape.fenced ? "false" : `count(*) OVER () >= ${shape.take + shape.slack}`;
    return `SELECT c.*, ${cut} AS _cut, c._sk = max(c._sk) OVER () AS _tie FROM (${inner}) c ORDER BY ${outerOrder} LIMIT ${shape.take}`;
  }
  const tail = ", false AS _cut, false AS _tie";
  if (!shape.fenced) {
    const keyOrder = seg.name === "null" ? `p.id ${dir}` : `${s.column} ${s.order}, p.id ${s.order}`;
    return `SELECT ${cols}${tail} FROM properties p WHERE ${where} ORDER BY ${keyOrder} LIMIT ${shape.take}`;
  }
  // The fence: no ORDER BY or LIMIT inside, so the planner finds the whole (small) set the cheapest
  // way, e.g. through the GIN or GiST index, and the outer query sorts it.
  return `SELECT c.*${tail} FROM (SELECT ${cols} FROM properties p WHERE ${where} OFFSET 0) c ORDER BY ${outerOrder} LIMIT ${shape.take}`;
}

/** The page's rows in order, `limit + 1` of them at most (the extra row says whether there is a next page). */
function pageQuery(p: SqlParams, plan: SearchPlan, fenced: boolean): string {
  const s = sortSpec(p, plan);
  const shape = { fenced, take: plan.offset + plan.limit + 1, slack: plan.distanceSlack ?? DEFAULT_DISTANCE_SLACK };
  const parts = segments(p, s, plan.cursor).map((seg) => `(${segmentQuery(p, plan, s, seg, shape)})`);
  // UNION ALL of segments: Postgres' (non-parallel) Append returns its children in order and stops
  // once the LIMIT is met, so the NULL segment is read only when the value segment runs out.
  const body = parts.length === 1 ? `SELECT * FROM ${parts[0]} s1` : parts.join(" UNION ALL ");
  return `SELECT * FROM (${body}) pg OFFSET ${plan.offset} LIMIT ${plan.limit + 1}`;
}

/** Smallest area row count that counts as dense: √(rows needed × table rows), at least 1,000. */
function denseThreshold(p: SqlParams, take: number): string {
  return `(SELECT greatest(1000, sqrt(${p.add(take, "float8")} * greatest(reltuples, 0)))::int FROM pg_class WHERE oid = 'properties'::regclass)`;
}

export type BuiltSearch = SqlQuery & { settings?: PlannerSettings };

export function buildSearchQuery(plan: SearchPlan): BuiltSearch {
  const p = new SqlParams();
  let rows: string;
  let settings: PlannerSettings | undefined;
  if (plan.strategy === "spatial") {
    const cap = denseThreshold(p, plan.offset + plan.limit);
    const areaOnly = and(geoConditions(p, plan.filters.geo));
    rows = `WITH probe AS MATERIALIZED (
        SELECT count(*) < ${cap} AS sparse FROM (SELECT 1 FROM properties p WHERE ${areaOnly} LIMIT ${cap}) a)
      SELECT * FROM (${pageQuery(p, plan, true)}) sparse WHERE (SELECT sparse FROM probe)
      UNION ALL
      SELECT * FROM (${pageQuery(p, plan, false)}) dense WHERE NOT (SELECT sparse FROM probe)`;
    // Sort-free plans for the dense branch; the probe must count through the GiST index, never
    // by a sequential scan that would read the whole table when the area is empty.
    settings = { enable_sort: "off", enable_seqscan: "off" };
  } else {
    rows = pageQuery(p, plan, plan.strategy === "fenced");
    if (plan.strategy === "walk") settings = { enable_sort: "off" };
  }
  // Decorate the page (≤ 101 rows) with the primary source's URL; row_number keeps the page order.
  const text = `SELECT r.*, src.source_url FROM (SELECT q.*, row_number() OVER () AS _rn FROM (${rows}) q) r
    LEFT JOIN LATERAL (SELECT s.source_url FROM property_sources s WHERE s.property_id = r.id AND s.source = r.primary_source
      ORDER BY s.last_seen_at DESC LIMIT 1) src ON true
    ORDER BY r._rn`;
  return { text, values: p.values, settings };
}

export function buildCountQuery(filters: Filters): SqlQuery {
  const p = new SqlParams();
  const text = `SELECT count(*)::int AS total FROM properties p WHERE ${and(filterConditions(p, filters))}`;
  return { text, values: p.values };
}
