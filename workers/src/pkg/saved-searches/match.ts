/**
 * Incremental matching: the properties one write created or changed, against every saved search, without
 * testing them all. Every entry point (the ingest API, importers and crawls through `ingestItems`,
 * enrichment, withdrawals) calls `propertiesChanged`, which queues the ids for matching (match-queue.ts).
 *
 * 1. Candidates: the percolator index (predicates.ts) gives, per changed property, the saved searches
 *    whose anchor admits it: its area with its price range (GiST), its city (btree), or for searches of
 *    a whole country or anywhere, their price range (GiST); the other ranges and the country are checked
 *    on the rows found.
 * 2. Confirmation: each candidate search's own filter, built by the search's SQL builder
 *    (`filterConditions`), runs against its candidate properties, all in one statement; the status filter
 *    is returned as a column, since a status change is reported for a property that just left it.
 * 3. Events: what changed comes from the property's history (`property_events`), so the kind of change is
 *    the one the merge recorded. Each event is keyed by search, property, kind and the history row (0 for a
 *    new match), and inserted with ON CONFLICT DO NOTHING: matching the same change twice records it once,
 *    and only events inserted now get a webhook delivery.
 */

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
const CHANGED_TO = new Set(["pending", "sold", "leased", "withdrawn", "off_market"]);
/** History rows a write made are read back within this window (a write's events are seconds old). */
export const HISTORY_WINDOW = "1 hour";
/** Candidate searches of one filter shape confirmed per statement (each one row of its record set). */
export const CONFIRM_CHUNK = 2000;

export const CANDIDATES_SQL = `
WITH ch AS (
  SELECT id, country, city_key, location::geometry AS g, price_minor, bedrooms FROM properties WHERE id = ANY($1::uuid[])
), cand AS (
  SELECT pr.*, ch.id AS property_id, ch.country AS p_country, ch.price_minor, ch.bedrooms
    FROM ch JOIN saved_search_predicates pr ON pr.anchor = 'geo' AND pr.area && ch.g
     AND int8range(pr.min_price_minor, pr.max_price_minor, '[]') @> coalesce(ch.price_minor, -1)
  UNION ALL
  SELECT pr.*, ch.id, ch.country, ch.price_minor, ch.bedrooms
    FROM ch JOIN saved_search_predicates pr ON pr.anchor = 'city' AND pr.city_key = ch.city_key
  UNION ALL
  SELECT pr.*, ch.id, ch.country, ch.price_minor, ch.bedrooms
    FROM ch JOIN saved_search_predicates pr ON pr.anchor IN ('country', 'any')
     -- A property without a price is looked up as -1: only searches without a lower bound admit it
     -- (a superset of what its filter admits, which is all a candidate needs to be).
     AND int8range(pr.min_price_minor, pr.max_price_minor, '[]') @> coalesce(ch.price_minor, -1)
)
SELECT DISTINCT c.saved_search_id, c.property_id, s.query, s.events, s.created_at
FROM cand c JOIN saved_searches s ON s.id = c.saved_search_id AND s.paused_at IS NULL
WHERE (c.country IS NULL OR c.country = c.p_country)
  AND (c.min_price_minor IS NULL OR c.price_minor >= c.min_price_minor)
  AND (c.max_price_minor IS NULL OR c.price_minor <= c.max_price_minor)
  AND (c.min_bedrooms IS NULL OR c.bedrooms >= c.min_bedrooms)
  AND (c.max_bedrooms IS NULL OR c.bedrooms <= c.max_bedrooms)`;

/** The changed properties' recent history: the changes the write recorded. */
export const HISTORY_SQL = `
SELECT id::text, property_id, type, old, new, at FROM property_events
WHERE property_id = ANY($1::uuid[]) AND at > now() - $2::interval
  AND type IN ('price_change', 'status_change', 'withdrawn', 'relisted')
ORDER BY id`;

export type CandidateRow = {
  saved_search_id: string;
  property_id: string;
  query: string;
  events: string[];
  created_at: string | Date;
};
type ConfirmedRow = { i: number; property_id: string; in_status: boolean };
type HistoryRow = {
  id: string;
  property_id: string;
  type: string;
  old: Record<string, unknown> | null;
  new: Record<string, unknown> | null;
  at: string | Date;
};
export type Search = { id: string; filters: Filters; events: Set<string>; createdAt: number; propertyIds: string[] };
export type NewEvent = {
  saved_search_id: string;
  property_id: string;
  kind: string;
  change_version: string;
  data: Record<string, unknown>;
};

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
    p.add(s.filters.statuses, "text[]"); // c2, read by `in_status`
    // Every status passes here; whether the search's own statuses do is the `in_status` column.
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
        text: `SELECT v.i, p.id AS property_id, (p.status = ANY(v.c2)) AS in_status
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

const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN);

const STATUS_EVENTS = new Set(["status_change", "withdrawn", "relisted"]);
const statusOf = (v: Record<string, unknown> | null) => (typeof v?.status === "string" ? v.status : null);

/**
 * The events one confirmed (search, property) pair gives, from the property's recent history. Matching
 * may run after later writes to the same property (it is queued), so whether the search's status filter
 * held when a change happened is read from the history: the status until the next status change (its
 * `old` status), else the status now. Everything else is checked on the property as it is now.
 */
export function eventsFor(search: Search, propertyId: string, inStatus: boolean, history: HistoryRow[]): NewEvent[] {
  const out: NewEvent[] = [];
  const base = { saved_search_id: search.id, property_id: propertyId };
  const statuses = search.filters.statuses;
  const recent = history.filter((h) => Date.parse(String(h.at)) >= search.createdAt);
  const statusChanges = recent.filter((h) => STATUS_EVENTS.has(h.type));
  const matchedAfter = (h: HistoryRow) => {
    const next = statusChanges.find((e) => Number(e.id) > Number(h.id));
    const status = next ? statusOf(next.old) : null;
    return next ? status !== null && statuses.includes(status) : inStatus;
  };
  // A new match: it matches now, or did before a status change (a listing sold before matching ran).
  const matchedOnce = inStatus || statusChanges.some((e) => statuses.includes(statusOf(e.old) ?? ""));
  if (matchedOnce && search.events.has("new_match")) out.push({ ...base, kind: "new_match", change_version: "0", data: {} });
  for (const h of recent) {
    const oldStatus = statusOf(h.old);
    const newStatus = statusOf(h.new);
    if (h.type === "price_change" && search.events.has("price_drop") && matchedAfter(h)) {
      const [before, after] = [num(h.old?.price), num(h.new?.price)];
      if (after < before && h.old?.currency === h.new?.currency) {
        out.push({
          ...base,
          kind: "price_drop",
          change_version: h.id,
          data: { old_price: before, new_price: after, currency: h.new?.currency },
        });
      }
    } else if (
      (h.type === "status_change" || h.type === "withdrawn") &&
      search.events.has("status_change") &&
      newStatus !== null &&
      CHANGED_TO.has(newStatus) &&
      // It was a match before the change: its earlier status is one the search asks for.
      oldStatus !== null &&
      statuses.includes(oldStatus)
    ) {
      out.push({ ...base, kind: "status_change", change_version: h.id, data: { old_status: oldStatus, new_status: newStatus } });
    } else if (h.type === "relisted" && search.events.has("back_on_market") && matchedAfter(h)) {
      out.push({ ...base, kind: "back_on_market", change_version: h.id, data: { old_status: oldStatus, new_status: newStatus } });
    }
  }
  return out;
}

export const INSERT_SQL = `
WITH ins AS (
  INSERT INTO saved_search_events (saved_search_id, property_id, kind, change_version, data)
  SELECT r.saved_search_id, r.property_id, r.kind, r.change_version, r.data
  FROM jsonb_to_recordset($1::jsonb) AS r(saved_search_id uuid, property_id uuid, kind text, change_version bigint, data jsonb)
  ON CONFLICT DO NOTHING
  RETURNING id, saved_search_id
)
INSERT INTO webhook_deliveries (saved_search_id, event_id, next_attempt_at)
SELECT ins.saved_search_id, ins.id, now() FROM ins JOIN saved_searches s ON s.id = ins.saved_search_id
WHERE s.webhook_url IS NOT NULL AND s.webhook_disabled_at IS NULL
RETURNING id`;

export type MatchReport = { candidates: number; confirmed: number; events: number; deliveries: number };

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

/** Candidate rows grouped by saved search, its query parsed once. */
export function candidateSearches(candidates: CandidateRow[]): Search[] {
  const searches = new Map<string, Search>();
  for (const c of candidates) {
    let s = searches.get(c.saved_search_id);
    if (!s) {
      const filters = filtersOf(c.query);
      if (!filters) continue; // stored queries were valid when saved; one that no longer parses matches nothing
      s = {
        id: c.saved_search_id,
        filters,
        events: new Set(c.events),
        createdAt: Date.parse(String(c.created_at)),
        propertyIds: [],
      };
      searches.set(c.saved_search_id, s);
    }
    s.propertyIds.push(c.property_id);
  }
  return [...searches.values()];
}

/** The events the changed properties give (steps 1–3 without writing), for matching and its benchmark. */
export async function findEvents(
  env: Env,
  propertyIds: string[],
): Promise<{ events: NewEvent[]; candidates: number; confirmed: number }> {
  const sql = getSql(env);
  const [candidates, history] = (await sql.transaction([
    sql.query(CANDIDATES_SQL, [propertyIds]),
    sql.query(HISTORY_SQL, [propertyIds, HISTORY_WINDOW]),
  ])) as unknown as [CandidateRow[], HistoryRow[]];
  if (candidates.length === 0) return { events: [], candidates: 0, confirmed: 0 };

  const confirmed = await Promise.all(
    confirmQueries(candidateSearches(candidates)).map(async (q) => {
      const rows = (await sql.query(q.text, q.values)) as unknown as ConfirmedRow[];
      return rows.map((r) => ({ ...r, search: q.searches[r.i] as Search }));
    }),
  );
  const historyOf = new Map<string, HistoryRow[]>();
  for (const h of history) historyOf.set(h.property_id, [...(historyOf.get(h.property_id) ?? []), h]);
  const events = confirmed
    .flat()
    .flatMap((r) => eventsFor(r.search, r.property_id, r.in_status, historyOf.get(r.property_id) ?? []));
  return { events, candidates: candidates.length, confirmed: confirmed.flat().length };
}

export async function matchSavedSearches(env: Env, changes: PropertyChange[]): Promise<MatchReport> {
  const ids = [...new Set(changes.filter((c) => c.outcome !== "unchanged").map((c) => c.id))];
  if (ids.length === 0) return { candidates: 0, confirmed: 0, events: 0, deliveries: 0 };
  const found = await findEvents(env, ids);
  if (found.events.length === 0) return { candidates: found.candidates, confirmed: found.confirmed, events: 0, deliveries: 0 };
  const deliveries = (await getSql(env).query(INSERT_SQL, [JSON.stringify(found.events)])) as unknown as Array<{ id: string }>;
  await notifySavedSearchOwners(
    env,
    found.events.map((e) => e.saved_search_id),
  ); // owners' open pages: unread counts
  await enqueueDeliveries(
    env,
    deliveries.map((d) => d.id),
  );
  return { candidates: found.candidates, confirmed: found.confirmed, events: found.events.length, deliveries: deliveries.length };
}
