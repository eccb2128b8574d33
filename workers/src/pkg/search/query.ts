/**
 * The search query. One statement per page (one HTTP round trip); its shape is chosen so the planner
 * cannot fall into the planner traps described in docs/query-design.md ("Planner traps"):
 *
 * - `plain`: filters + ORDER BY the sort key + LIMIT. The planner walks the sort index (or the city
 *   index) and stops after one page.
 * - `fenced`: the filtered set is computed first behind an `OFFSET 0` fence and only then sorted.
 *   Used for rare full-text terms (P6): the GIN index finds the few matches at once, instead of a
 *   walk in date order that detoasts every row's tsvector to test it.
 * - `walk`: a common full-text term. The same statement as `plain`, with `enable_sort = off` so the
 *   planner walks the sort index (a page fills after a few rows) rather than sorting the GIN's
 *   hundreds of thousands of matches.
 * - `windowed`: a full-text term between the two, newest first (see strategy.ts). The fenced
 *   statement restricted to recent listings (`listed_at >= since`): the planner ANDs the GIN bitmap
 *   with the date index's bitmap of the window and visits only the rows in both. When the window
 *   holds less than a page, the fallback (`fenced` or `walk`) answers instead, in the same statement.
 * - `spatial` (radius, box or polygon), by sort:
 *   - `distance`: the GiST KNN scan bounded by `ST_DWithin` (P1, P2); it stops after a page,
 *     dense area or not.
 *   - newest first (`-listed_at`, `-updated_at`): a small area (up to CELLS_FIRST grid cells, no
 *     other filter) is read cell by cell from the grid-cell index (`geo_cell`), each cell in date
 *     order and stopped after a page, index-only. Otherwise a bounded walk, then a fence: the
 *     statement walks the date index for at most WALK_BUDGET rows, testing the area on the index
 *     tuple (the date indexes INCLUDE the coordinates, so the walk is index-only), and stops at a page
 *     of matches. A dense area (P5: the planner underestimates it 20-40×) fills the page within the
 *     budget. When it does not, the area holds few rows: by `-listed_at` they come cell by cell again
 *     (areas of up to MAX_CELLS cells), else whole through the GiST index and sorted. Every part is
 *     bounded (a page per cell, WALK_BUDGET tuples, about page × table / WALK_BUDGET rows); no count
 *     of the area is taken.
 *   - price sorts: the statement first counts the area's rows through the GiST index, up to a cap. A
 *     sparse area is fenced; a dense one runs with `enable_sort = off`, walking the sort index.
 *   Only the chosen branch executes (one-time filters on an InitPlan).
 *
 * Distance is special: a KNN scan can order by distance only, not by (distance, id). The KNN part
 * fetches `take + slack` rows by distance and the outer query orders them by (distance, id); the
 * `_cut`/`_tie` columns tell the caller when equal distances may straddle the cut (same building),
 * and it then repeats with more slack (see `runSearch`).
 */
import { ITEM_SELECT } from "../properties/columns";
import { filterConditions } from "./filters";
import { areaBox, cellsCovering, coordinateConditions, geoConditions, nearPoint } from "./geo";
import type { Filters } from "./params";
import type { PlannerSettings } from "./run";
import { type Cursor, distanceSort, keysetCondition, SORT_SPECS, type SortName, type SortSpec } from "./sort";
import { and, SqlParams, type SqlQuery } from "./sql";

export type Strategy = "plain" | "fenced" | "walk" | "spatial" | "windowed";

/** The recent-listings window of the `windowed` strategy, and what answers when it holds less than a page. */
export type TextWindow = { since: string /* ISO */; fallback: "fenced" | "walk" };

export type SearchPlan = {
  filters: Filters;
  sort: SortName;
  limit: number;
  offset: number;
  cursor?: Cursor;
  strategy: Strategy;
  /** Set with the `windowed` strategy. */
  window?: TextWindow;
  /** Extra rows a distance KNN scan fetches beyond the page, to see ties at the cut. */
  distanceSlack?: number;
};

export const DEFAULT_DISTANCE_SLACK = 20;

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
function segmentQuery(p: SqlParams, plan: SearchPlan, s: SortSpec, seg: Segment, shape: Shape, ids: string[]): string {
  // Rows picked by id (`ids`) passed the spatial test already: without it here, the planner fetches
  // them by primary key instead of reading the whole area through the GiST index.
  const filters = ids.length > 0 ? { ...plan.filters, geo: {} } : plan.filters;
  const where = and([...filterConditions(p, filters), ...seg.where, ...ids]);
  const cols = `${ITEM_SELECT}${distanceColumn(p, plan.filters, s)}, ${s.column} AS _sk, ${s.column}::text AS _k, '${seg.name}' AS _g`;
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
function pageQuery(p: SqlParams, plan: SearchPlan, fenced: boolean, ids: string[] = []): string {
  const s = sortSpec(p, plan);
  const shape = { fenced, take: plan.offset + plan.limit + 1, slack: plan.distanceSlack ?? DEFAULT_DISTANCE_SLACK };
  const parts = segments(p, s, plan.cursor).map((seg) => `(${segmentQuery(p, plan, s, seg, shape, ids)})`);
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

/**
 * Rows the newest-first walk may look at before it calls the area sparse. Index-only tuples cost
 * about 0.1 µs each, so the budget is a few milliseconds; an area that holds fewer than
 * page / budget of the table's rows is sparse, and fetching all of it through the GiST index is cheap.
 */
export const WALK_BUDGET = 8_000;
/** The same when other filters must be checked on the row itself (heap visits, ~50× dearer). */
export const WALK_BUDGET_WITH_FILTERS = 2_000;

/** Areas of at most this many cells (about 7 × 9 km at mid latitudes) skip the walk; see spatialRows. */
export const CELLS_FIRST = 64;

/**
 * The ids of an area's newest `take` rows through the cell index, cell by cell. Each cell's scan runs
 * in index order (index-only, the area tested on the tuple's coordinates) and stops after `take`
 * matches, so a crowded cell costs no more than a page; the candidates (at most cells × take) are
 * sorted once. `geo_cell = ANY(cells)` would instead return every entry of every cell before sorting
 * (5,000-30,000 for a city viewport at 1M rows).
 */
function newestInCells(p: SqlParams, conditions: string[], cells: number[], s: SortSpec, take: number): string {
  return `SELECT x.id FROM unnest(${p.add(cells, "int[]")}) AS g(cell) CROSS JOIN LATERAL (
        SELECT p.id, ${s.column} AS _sk FROM properties p WHERE ${and([...conditions, "geo_cell(p.lng, p.lat) = g.cell"])}
         ORDER BY ${s.column} ${s.order}, p.id ${s.order} LIMIT ${take}) x
      ORDER BY x._sk ${s.order}, x.id ${s.order} LIMIT ${take}`;
}

/** Radius, box or polygon, by the sort: see the comment at the top. */
function spatialRows(p: SqlParams, plan: SearchPlan): { rows: string; settings?: PlannerSettings } {
  // The planner underestimates dense areas and would fetch and sort them whole (P2): without sorts
  // to choose from, it takes the KNN scan.
  if (plan.sort === "distance") return { rows: pageQuery(p, plan, false), settings: { enable_sort: "off" } };
  const s = SORT_SPECS[plan.sort];
  const take = plan.offset + plan.limit + 1;
  if (!s.nullable) {
    const { geo, ...rest } = plan.filters;
    const others = filterConditions(p, { ...rest, geo: {} });
    const after = plan.cursor ? [keysetCondition(p, s, plan.cursor)] : [];
    const box = plan.sort === "-listed_at" ? areaBox(geo) : null;
    const cells = box ? cellsCovering(box) : null;
    const inCells = cells
      ? [`p.id IN (${newestInCells(p, [...others, ...after, ...coordinateConditions(p, geo)], cells, s, take)})`]
      : [];
    // A small area with no other filter: each cell costs at most a page, so reading them is bounded
    // without the walk, which would only spend its budget first wherever the area is sparse.
    if (cells && cells.length <= CELLS_FIRST && others.length <= 1) return { rows: pageQuery(p, plan, true, inCells) };
    // Only the status condition can be answered from the date index itself.
    const budget = others.length <= 1 ? WALK_BUDGET : WALK_BUDGET_WITH_FILTERS;
    // The inner walk reads only columns of the date index, so it is an index-only scan; the area
    // test runs on its rows (coordinates from the index tuple), outside the LIMIT that bounds the walk.
    const walk = `SELECT p.id FROM (
        SELECT p.id, p.lng, p.lat FROM properties p WHERE ${and([...others, ...after])}
         ORDER BY ${s.column} ${s.order}, p.id ${s.order} LIMIT ${budget}) p
      WHERE ${and(coordinateConditions(p, geo))} LIMIT ${take}`;
    return {
      rows: `WITH walk AS MATERIALIZED (${walk})
      SELECT * FROM (${pageQuery(p, plan, true, ["p.id IN (SELECT id FROM walk)"])}) dense WHERE (SELECT count(*) FROM walk) >= ${take}
      UNION ALL
      SELECT * FROM (${pageQuery(p, plan, true, inCells)}) sparse WHERE (SELECT count(*) FROM walk) < ${take}`,
    };
  }
  const cap = denseThreshold(p, plan.offset + plan.limit);
  const areaOnly = and(geoConditions(p, plan.filters.geo));
  return {
    rows: `WITH probe AS MATERIALIZED (
        SELECT count(*) < ${cap} AS sparse FROM (SELECT 1 FROM properties p WHERE ${areaOnly} LIMIT ${cap}) a)
      SELECT * FROM (${pageQuery(p, plan, true)}) sparse WHERE (SELECT sparse FROM probe)
      UNION ALL
      SELECT * FROM (${pageQuery(p, plan, false)}) dense WHERE NOT (SELECT sparse FROM probe)`,
    // Sort-free plans for the dense branch; the probe must count through the GiST index, never
    // by a sequential scan that would read the whole table when the area is empty.
    settings: { enable_sort: "off", enable_seqscan: "off" },
  };
}

/** The page from the window of recent listings when it holds one, else from the fallback (one-time filters). */
function windowedRows(p: SqlParams, plan: SearchPlan, window: TextWindow): { rows: string; settings?: PlannerSettings } {
  // Both are ISO strings (toISOString), so they compare as text.
  const since = plan.filters.listedSince && plan.filters.listedSince > window.since ? plan.filters.listedSince : window.since;
  const recent = pageQuery(p, { ...plan, filters: { ...plan.filters, listedSince: since } }, true);
  const whole = pageQuery(p, plan, window.fallback === "fenced");
  // pageQuery returns limit + 1 rows when there are enough to fill the page and tell if another follows.
  return {
    rows: `WITH recent AS MATERIALIZED (${recent})
      SELECT * FROM recent WHERE (SELECT count(*) FROM recent) > ${plan.limit}
      UNION ALL
      SELECT * FROM (${whole}) whole WHERE (SELECT count(*) FROM recent) <= ${plan.limit}`,
    settings: window.fallback === "walk" ? { enable_sort: "off" } : undefined,
  };
}

export function buildSearchQuery(plan: SearchPlan): BuiltSearch {
  const p = new SqlParams();
  let rows: string;
  let settings: PlannerSettings | undefined;
  if (plan.strategy === "spatial") {
    ({ rows, settings } = spatialRows(p, plan));
  } else if (plan.strategy === "windowed" && plan.window) {
    ({ rows, settings } = windowedRows(p, plan, plan.window));
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
