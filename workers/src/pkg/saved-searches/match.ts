/**
 * Incremental matching: the properties one write created or changed, against every saved search, without
 * testing them all (docs/saved-searches.md "Matching"). Every entry point (the ingest API, importers and
 * crawls through `ingestItems`, enrichment, withdrawals) calls `propertiesChanged`, which queues the ids
 * for matching (match-queue.ts).
 *
 * One statement does the common case (MATCH_SQL):
 * 1. Candidates: the percolator index (predicates.ts) gives, per changed property, the predicate rows whose
 *    anchor admits it, each through one GiST index with the row's price range: its area, its locality, its
 *    country, or (searches of anywhere) the price range alone. The columns every row carries are checked on it
 *    (`ROW_ADMITS`); for a search whose rows are `exact` that is the whole filter, so the pair is a match.
 * 2. Events: what changed comes from the property's history (`property_events`) in the same statement, so
 *    the kind of change is the one the merge recorded. A search gets `new_match` when the property entered
 *    its results (listed, or a recorded change of price or status moved it into the filter), not on every
 *    later change; `price_drop`, `status_change` and `back_on_market` when the change happened while it
 *    matched. Events are recorded once per change and kind (`saved_search_events`, keyed by the history
 *    row), naming the searches they are events of; matching the same change again adds nothing.
 * 3. Deliveries: one per (search, event) for the searches with a working webhook, keyed by both, so a
 *    delivery's id (its `webhook-id`) is made once and every retry reuses it.
 * Searches whose rows are not exact come back from that statement; their own filters (`filterConditions`)
 * confirm them, one statement per filter shape, and EVENTS_SQL records their events the same way.
 */

import { currenciesByMinorDigits } from "../../../../connectors/contract/money/minor-units";
import { STATUSES } from "../../../../connectors/contract/vocabulary";
import type { Env } from "../../env";
import type { PropertyChange } from "../changes";
import { getSql } from "../db";
import { notifySavedSearchOwners } from "../live/notify";
import { filterConditions } from "../search/filters";
import type { Filters } from "../search/params";
import { and, type SqlParams } from "../search/sql";
import { enqueueDeliveries } from "./enqueue";
import { parseSavedQuery } from "./query";

/** Statuses a `status_change` event reports (under offer, sold, off the market). */
export const CHANGED_TO = ["pending", "sold", "leased", "withdrawn", "off_market"];
/**
 * How far before a write its history rows are read from. A write's rows are stamped with its transaction's
 * start (`property_events.at`), seconds before it queues its ids, and the Worker's clock is not Postgres's:
 * the margin covers both, generously. It is also the window matching falls back to when it is not told the
 * time of the write (a message queued before messages carried it): the rows of the last hour.
 */
export const HISTORY_WINDOW = "1 hour";
export const HISTORY_MARGIN_MS = 60 * 60_000;

/** Where matching starts reading the history of a write made now: `since` of the write's match message. */
export function historySince(writtenAt = Date.now()): string {
  return new Date(writtenAt - HISTORY_MARGIN_MS).toISOString();
}
/** Candidate searches of one filter shape confirmed per statement (each one row of its record set). */
export const CONFIRM_CHUNK = 2000;

/**
 * A predicate row `pr` admits a changed property `ch`: every column the row carries, tested as the search's
 * own filter tests it (search/filters.ts and search/geo.ts: the same operators on the same values, so a
 * NULL on the property fails both). The status is not tested here: a status change is reported for a
 * property that just left the search's statuses, so the events step reads the statuses itself.
 */
export const ROW_ADMITS = `(pr.countries IS NULL OR ch.country = ANY(pr.countries))
    AND (pr.country IS NULL OR ch.country = pr.country)
    AND (pr.listing_types IS NULL OR ch.listing_type = ANY(pr.listing_types))
    AND (pr.property_types IS NULL OR ch.property_type = ANY(pr.property_types))
    AND (pr.currency IS NULL OR ch.currency = pr.currency)
    AND (pr.min_price_minor IS NULL OR ch.price_minor >= pr.min_price_minor)
    AND (pr.max_price_minor IS NULL OR ch.price_minor <= pr.max_price_minor)
    AND (pr.min_bedrooms IS NULL OR ch.bedrooms >= pr.min_bedrooms)
    AND (pr.max_bedrooms IS NULL OR ch.bedrooms <= pr.max_bedrooms)
    AND (pr.near_point IS NULL OR ST_DWithin(ch.location, pr.near_point, pr.near_radius_m, false))`;

/** What a candidate pair carries into the events step: the search's side of every event condition. */
const PAIR_COLUMNS = "saved_search_id, property_id, statuses, min_p, max_p, events, created_at, hooked";
const PAIR_TYPES =
  "saved_search_id uuid, property_id uuid, statuses text[], min_p bigint, max_p bigint, events text[], created_at timestamptz, hooked boolean";

const HISTORY_TYPES = "('listed', 'price_change', 'status_change', 'withdrawn', 'relisted')";
const STATUS_TYPES = "('status_change', 'withdrawn', 'relisted')";

/**
 * Prices in history rows: the merge records whole units (`price`), enrichment minor units (`price_minor`);
 * $3 and $4 are the currencies with 0 and 3 minor digits (`currenciesByMinorDigits`), every other has 2.
 */
const factor = (side: string) =>
  `CASE WHEN h.${side}->>'currency' = ANY($3::text[]) THEN 1 WHEN h.${side}->>'currency' = ANY($4::text[]) THEN 1000 ELSE 100 END`;
const minor = (side: string) =>
  `coalesce((h.${side}->>'price_minor')::numeric, round((h.${side}->>'price')::numeric * ${factor(side)}))`;
const major = (side: string) =>
  `coalesce((h.${side}->>'price')::numeric, (h.${side}->>'price_minor')::numeric / ${factor(side)})`;
/** A price (minor units) inside the search's band, as its filter decides (no band admits any price). */
const inBand = (x: string) => `coalesce((o.min_p IS NULL OR ${x} >= o.min_p) AND (o.max_p IS NULL OR ${x} <= o.max_p), false)`;
const wasIn = "coalesce(h.old_status = ANY(o.statuses), false)";

/**
 * The events of the pairs in `pairs` (PAIR_COLUMNS), recorded, with their deliveries. Whether the search's
 * statuses held when a change happened is read from the history: the status until the next status change
 * (its `old` status), else the status now, since matching may run after later writes to the property.
 * Everything else is the property as it is now (the pair). The history is read only for properties with a
 * pair, so a batch nothing matches reads none.
 */
const EVENTS_TAIL = `
hist AS MATERIALIZED (
  -- Once per history row (the next status change is looked up once, the event's data built once),
  -- however many searches it meets.
  SELECT h.*,
         CASE WHEN h.type = 'price_change' AND h.new_price < h.old_price AND h.old_currency IS NOT DISTINCT FROM h.new_currency
              THEN jsonb_build_object('old_price', h.old_price, 'new_price', h.new_price, 'currency', h.new_currency) END AS drop_data,
         jsonb_build_object('old_status', h.old_status, 'new_status', h.new_status) AS status_data
  FROM (
    SELECT h.id, h.property_id, h.type, h.at, h.old->>'status' AS old_status, h.new->>'status' AS new_status,
           h.old->>'currency' AS old_currency, h.new->>'currency' AS new_currency,
           ${minor("old")} AS old_minor, ${minor("new")} AS new_minor, ${major("old")} AS old_price, ${major("new")} AS new_price,
           coalesce((SELECT n.old->>'status' FROM property_events n
                      WHERE n.property_id = h.property_id AND n.id > h.id AND n.type IN ${STATUS_TYPES}
                      ORDER BY n.id LIMIT 1), p.status) AS status_after
    FROM property_events h JOIN properties p ON p.id = h.property_id
    WHERE h.property_id = ANY(ARRAY(SELECT DISTINCT property_id FROM pairs))
      -- From the write on (the time its message carries), however late matching runs; without it, the last hour.
      AND h.at >= coalesce($2::timestamptz, now() - interval '${HISTORY_WINDOW}') AND h.type IN ${HISTORY_TYPES}
  ) h
), ev AS (
  SELECT k.kind, h.property_id, h.id AS change_version, k.data,
         array_agg(o.saved_search_id) AS ids,
         array_agg(o.saved_search_id) FILTER (WHERE o.hooked) AS hooked_ids
  FROM pairs o JOIN hist h ON h.property_id = o.property_id AND h.at >= o.created_at
  CROSS JOIN LATERAL (VALUES
    -- Entered the results: listed inside them, or a change moved it in (a relisting is back_on_market
    -- to searches that want that).
    ('new_match', '{}'::jsonb, h.status_after = ANY(o.statuses) AND (
         (h.type = 'listed' AND ${inBand("h.new_minor")})
      OR (h.type = 'price_change' AND ${inBand("h.new_minor")} AND NOT ${inBand("h.old_minor")})
      OR (h.type = 'status_change' AND NOT ${wasIn})
      OR (h.type = 'relisted' AND NOT ${wasIn} AND NOT ('back_on_market' = ANY(o.events))))),
    ('price_drop', h.drop_data, h.drop_data IS NOT NULL AND h.status_after = ANY(o.statuses)),
    -- It was a match before the change: its earlier status is one the search asks for.
    ('status_change', h.status_data,
      h.type IN ('status_change', 'withdrawn') AND h.new_status IN (${CHANGED_TO.map((s) => `'${s}'`).join(", ")}) AND ${wasIn}),
    ('back_on_market', h.status_data, h.type = 'relisted' AND h.status_after = ANY(o.statuses))
  ) AS k(kind, data, hit)
  WHERE k.hit AND k.kind = ANY(o.events)
  GROUP BY k.kind, h.property_id, h.id, k.data
), ins AS (
  INSERT INTO saved_search_events (property_id, kind, change_version, data, saved_search_ids)
  -- In the order of the changes (a new match before the drop that brought it), so ids order the events.
  SELECT property_id, kind, change_version, data, ids FROM ev ORDER BY change_version, kind <> 'new_match', kind
  -- Recorded before (matching again, or another search's statement of this batch): add the searches it
  -- did not name yet; a row that names them all already is left alone and not returned.
  ON CONFLICT (property_id, kind, change_version) DO UPDATE
    SET saved_search_ids = ARRAY(SELECT DISTINCT unnest(saved_search_events.saved_search_ids || EXCLUDED.saved_search_ids))
    WHERE NOT saved_search_events.saved_search_ids @> EXCLUDED.saved_search_ids
  RETURNING id, kind, change_version, saved_search_ids
), hooks AS (
  -- The searches with a webhook of each event, by its key: one lookup in a JSON object per event recorded
  -- (a join of the two CTEs was planned as a nested loop, 500 × 500 comparisons).
  SELECT jsonb_object_agg(change_version::text || kind, hooked_ids) AS by_event FROM ev WHERE hooked_ids IS NOT NULL
), dl AS (
  INSERT INTO webhook_deliveries (saved_search_id, event_id, next_attempt_at)
  SELECT sid::uuid, ins.id, now()
  FROM ins CROSS JOIN hooks CROSS JOIN LATERAL jsonb_array_elements_text(hooks.by_event -> (ins.change_version::text || ins.kind)) AS sid
  ON CONFLICT (saved_search_id, event_id) DO NOTHING
  RETURNING id
)`;

const OUTCOME = `(SELECT count(*) FROM ins)::int AS events,
       (SELECT coalesce(sum(cardinality(saved_search_ids)), 0) FROM ins)::int AS search_events,
       (SELECT coalesce(array_agg(id::text), '{}') FROM dl) AS deliveries,
       -- Every search named (the live hub de-duplicates).
       (SELECT coalesce(array_agg(sid), '{}') FROM ins CROSS JOIN LATERAL unnest(ins.saved_search_ids) AS sid)::text[] AS searches`;

/** One branch of the candidate lookup: the rows one index finds, with the columns the events step needs. */
const branch = (join: string) => `
    SELECT pr.saved_search_id, ch.id AS property_id, pr.exact, pr.statuses, pr.min_price_minor AS min_p,
           pr.max_price_minor AS max_p, pr.events, pr.search_created_at AS created_at, pr.hooked
      FROM ch JOIN saved_search_predicates pr ON ${join}
     WHERE NOT pr.paused AND ${ROW_ADMITS}`;

/** A band admits the price; a property without a price is looked up as -1: only searches without a lower bound admit it. */
const PRICE_IN_BAND = "int8range(pr.min_price_minor, pr.max_price_minor, '[]') @> coalesce(ch.price_minor, -1)";

/**
 * The candidate lookup ($1 the changed property ids): CTE `hit`, one row per (search, property) the
 * predicate rows admit, with the search's side of the events step, `exact` when the rows decide it.
 */
const CANDIDATES_CTES = `
ch AS (
  SELECT id, country, city_key, location, location::geometry AS g, price_minor, bedrooms, listing_type, property_type, currency
    FROM properties WHERE id = ANY($1::uuid[])
     -- Without any saved search, the batch's properties are not even read (evaluated once, up front).
     AND EXISTS (SELECT FROM saved_search_predicates)
), hit AS (
  ${branch(`pr.anchor = 'geo' AND pr.area && ch.g AND ${PRICE_IN_BAND}`)}
  UNION ${branch(`pr.anchor = 'city' AND pr.city_key = ch.city_key AND ${PRICE_IN_BAND}`)}
  UNION ${branch(`pr.anchor = 'country' AND pr.country = ch.country AND ${PRICE_IN_BAND}`)}
  UNION ${branch(`pr.anchor = 'any' AND ${PRICE_IN_BAND}`)}
)`;

/** The candidates alone (for the predicate-agreement test and plans): what MATCH_SQL starts from. */
export const CANDIDATES_SQL = `WITH ${CANDIDATES_CTES}
SELECT saved_search_id, property_id, exact, statuses FROM hit`;

/**
 * $1 the changed property ids, $2 the time history is read from (null: the last HISTORY_WINDOW), $3/$4 the currencies of 0 and 3 minor digits. One
 * row: counts, the deliveries to enqueue, the searches with new events (their owners' unread counts), and
 * the candidate pairs of inexact searches (`unconfirmed`) for the exact filters to confirm.
 */
export const MATCH_SQL = `
WITH ${CANDIDATES_CTES}, pairs AS (
  SELECT ${PAIR_COLUMNS} FROM hit WHERE exact
), ${EVENTS_TAIL}
SELECT (SELECT count(*) FROM hit)::int AS candidates, (SELECT count(*) FROM pairs)::int AS decided, ${OUTCOME},
       (SELECT coalesce(jsonb_agg(to_jsonb(u)), '[]')
          FROM (SELECT ${PAIR_COLUMNS}, (SELECT s.query FROM saved_searches s WHERE s.id = hit.saved_search_id) AS query
                  FROM hit WHERE NOT exact) u) AS unconfirmed`;

/** The events of confirmed pairs: $1 the pairs (PAIR_COLUMNS) as JSON, $2–$4 as MATCH_SQL. */
export const EVENTS_SQL = `
WITH pairs AS (
  SELECT ${PAIR_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS r(${PAIR_TYPES})
), ${EVENTS_TAIL}
SELECT ${OUTCOME}`;

export type CandidatePair = {
  saved_search_id: string;
  property_id: string;
  statuses: string[];
  min_p: string | number | null;
  max_p: string | number | null;
  events: string[];
  created_at: string;
  hooked: boolean;
  query: string;
};
type Outcome = { events: number; search_events: number; deliveries: string[]; searches: string[] };
type MatchRow = Outcome & { candidates: number; decided: number; unconfirmed: CandidatePair[] };
type ConfirmedRow = { i: number; property_id: string };
export type Search = { id: string; filters: Filters; pair: CandidatePair; propertyIds: string[] };

/**
 * Stands in for `SqlParams` while a search's filter is built: each value becomes a column of the search's
 * row in a record set (`v.c1`, `v.c2`, …) instead of a `$n` parameter. Filters of the same shape (the same
 * parameters, lists of the same lengths) then build the same SQL text, and one statement confirms all the
 * searches of that shape, each against its own candidate properties, with one plan.
 */
class ColumnParams {
  readonly values: unknown[] = [];
  readonly types: string[] = [];

  add(value: unknown, cast = "text"): string {
    this.values.push(value);
    this.types.push(cast);
    return `v.c${this.values.length}`;
  }
}

export type ConfirmQuery = { text: string; values: unknown[]; searches: Search[] };

/** Statements confirming candidate searches against their candidate properties: one per filter shape. */
export function confirmQueries(searches: Search[]): ConfirmQuery[] {
  const shapes = new Map<string, { where: string; types: string[]; rows: Array<Record<string, unknown>>; searches: Search[] }>();
  for (const s of searches) {
    const p = new ColumnParams();
    const ids = p.add(s.propertyIds, "uuid[]");
    // Every status passes here: the events step reads the search's statuses itself (a status change is
    // reported for a property that just left them).
    const conditions = filterConditions(p as unknown as SqlParams, { ...s.filters, statuses: [...STATUSES] });
    const where = `p.id = ANY(${ids}) AND ${and(conditions)}`;
    const key = `${where}\n${p.types.join(",")}`;
    let shape = shapes.get(key);
    if (!shape) {
      shape = { where, types: p.types, rows: [], searches: [] };
      shapes.set(key, shape);
    }
    const row: Record<string, unknown> = { i: shape.searches.length };
    p.values.forEach((v, k) => {
      row[`c${k + 1}`] = v;
    });
    shape.rows.push(row);
    shape.searches.push(s);
  }
  return [...shapes.values()].flatMap((shape) => {
    const columns = ["i int", ...shape.types.map((t, k) => `c${k + 1} ${t}`)].join(", ");
    const out: ConfirmQuery[] = [];
    for (let start = 0; start < shape.rows.length; start += CONFIRM_CHUNK) {
      out.push({
        text: `SELECT v.i, p.id AS property_id
          FROM jsonb_to_recordset($1::jsonb) AS v(${columns})
          JOIN properties p ON ${shape.where}`,
        values: [
          JSON.stringify(shape.rows.slice(start, start + CONFIRM_CHUNK).map((r) => ({ ...r, i: (r.i as number) - start }))),
        ],
        searches: shape.searches.slice(start, start + CONFIRM_CHUNK),
      });
    }
    return out;
  });
}

export type MatchReport = {
  /** Candidate (search, property) pairs the predicate rows admitted. */
  candidates: number;
  /** Pairs that matched: decided on the rows, or confirmed by the exact filter. */
  confirmed: number;
  /** Pairs confirmed by a search's exact filter (searches with filters a row cannot hold). */
  exactConfirmed: number;
  /** Event rows recorded (one per property change and kind). */
  events: number;
  /** (search, event) pairs those rows name. */
  searchEvents: number;
  deliveries: number;
};

/** Parsed queries of this isolate, by their text: the same searches are candidates batch after batch. */
const parsed = new Map<string, Filters | null>();
const PARSED_MAX = 20_000;

function filtersOf(query: string): Filters | null {
  let filters = parsed.get(query);
  if (filters === undefined) {
    try {
      filters = parseSavedQuery(query).filters;
    } catch {
      filters = null;
    }
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(query, filters);
  }
  return filters;
}

/** Candidate pairs grouped by saved search, its query parsed once. */
export function candidateSearches(candidates: CandidatePair[]): Search[] {
  const searches = new Map<string, Search>();
  for (const c of candidates) {
    let s = searches.get(c.saved_search_id);
    if (!s) {
      const filters = filtersOf(c.query);
      if (!filters) continue; // stored queries were valid when saved; one that no longer parses matches nothing
      s = { id: c.saved_search_id, filters, pair: c, propertyIds: [] };
      searches.set(c.saved_search_id, s);
    }
    s.propertyIds.push(c.property_id);
  }
  return [...searches.values()];
}

/** The currencies whose minor units are not hundredths, as MATCH_SQL's $3 and $4. */
function digitParams(): [string[], string[]] {
  const { zero, three } = currenciesByMinorDigits();
  return [zero, three];
}

/** MATCH_SQL's parameters; `since` (an ISO time) as in `recordMatches`. */
export function matchParams(propertyIds: string[], since: string | null = null): unknown[] {
  return [propertyIds, since, ...digitParams()];
}

/** Whether any saved search is indexed: planning MATCH_SQL alone costs more than this whole check. */
export const ANY_SAVED_SEARCHES_SQL = "SELECT EXISTS (SELECT FROM saved_search_predicates) AS any";

async function anySavedSearches(env: Env): Promise<boolean> {
  const [row] = (await getSql(env).query(ANY_SAVED_SEARCHES_SQL)) as unknown as [{ any: boolean }];
  return row.any;
}

/**
 * Matches the changed properties and records their events and deliveries (without notifying or
 * enqueueing: `matchSavedSearches` does, the benchmark does not). The events are those of the history rows
 * written at or after `since` (the write's match message carries it: `historySince`), so matching a write
 * hours late (a backlog, retries, a replay of a dead letter) finds what it wrote; without it, the rows of the
 * last HISTORY_WINDOW. Reading rows an earlier match already recorded adds nothing (events are keyed).
 */
export async function recordMatches(
  env: Env,
  propertyIds: string[],
  since: string | null = null,
): Promise<MatchReport & { outcome: Outcome[] }> {
  const sql = getSql(env);
  const none = { candidates: 0, confirmed: 0, exactConfirmed: 0, events: 0, searchEvents: 0, deliveries: 0, outcome: [] };
  if (!(await anySavedSearches(env))) return none;
  const [main] = (await sql.query(MATCH_SQL, matchParams(propertyIds, since))) as unknown as [MatchRow];
  const outcome: Outcome[] = [main];
  let exactConfirmed = 0;
  if (main.unconfirmed.length > 0) {
    const confirmed = await Promise.all(
      confirmQueries(candidateSearches(main.unconfirmed)).map(async (q) => {
        const rows = (await sql.query(q.text, q.values)) as unknown as ConfirmedRow[];
        return rows.map((r) => {
          const { query: _query, ...pair } = (q.searches[r.i] as Search).pair;
          return { ...pair, property_id: r.property_id };
        });
      }),
    );
    const pairs = confirmed.flat();
    exactConfirmed = pairs.length;
    if (pairs.length > 0) {
      const [more] = (await sql.query(EVENTS_SQL, [JSON.stringify(pairs), since, ...digitParams()])) as unknown as [Outcome];
      outcome.push(more);
    }
  }
  const sum = (f: (o: Outcome) => number) => outcome.reduce((n, o) => n + f(o), 0);
  return {
    candidates: main.candidates,
    confirmed: main.decided + exactConfirmed,
    exactConfirmed,
    events: sum((o) => o.events),
    searchEvents: sum((o) => o.search_events),
    deliveries: sum((o) => o.deliveries.length),
    outcome,
  };
}

/** Matches the changed properties (their history from `since` on, as `recordMatches`), then notifies and enqueues. */
export async function matchSavedSearches(env: Env, changes: PropertyChange[], since: string | null = null): Promise<MatchReport> {
  const ids = [...new Set(changes.filter((c) => c.outcome !== "unchanged").map((c) => c.id))];
  if (ids.length === 0) return { candidates: 0, confirmed: 0, exactConfirmed: 0, events: 0, searchEvents: 0, deliveries: 0 };
  const { outcome, ...report } = await recordMatches(env, ids, since);
  // Owners' open pages: unread counts.
  await notifySavedSearchOwners(
    env,
    outcome.flatMap((o) => o.searches),
  );
  await enqueueDeliveries(
    env,
    outcome.flatMap((o) => o.deliveries),
  );
  return report;
}
