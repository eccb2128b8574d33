/**
 * Picks the query shape (see query.ts) from what Postgres' own statistics say about the request.
 *
 * Full text (docs/query-design.md "P6"): the cost of a search sorted by date depends on how common the words are. A rare
 * word has few GIN matches (fetch them all and sort: cheap) but would take a long walk in date order;
 * a common word is the reverse. Between the two (about 3,500 to 14,000 matches at 1M rows) both cost
 * 15-30 ms, so newest-first searches there look in a window of recent listings first: the GIN bitmap
 * ANDed with the date index's bitmap of the window, a few pages of rows visited. The frequencies are the ones ANALYZE keeps for `search_tsv` (`pg_stats.most_common_elems`),
 * and the window comes from its histogram of `listed_at`, widened by the searched statuses' share of
 * the rows (`status` most common values); all are read once per isolate and kept for
 * a while: no extra round trip per search. A word missing from the list is rarer than every word in it.
 */
import type { Env } from "../../env";
import { log } from "../log";
import { hasSpatialFilter } from "./geo";
import type { Filters } from "./params";
import type { Strategy, TextWindow } from "./query";
import { queryRows } from "./run";
import type { Cursor, SortName } from "./sort";

export type TermStats = {
  rows: number;
  freqs: Map<string, number>;
  minFreq: number;
  /** `listed_at` at equal steps of the table's rows, oldest first (ANALYZE's histogram). */
  listedBounds: string[];
  /** Share of the table's rows in each status (ANALYZE's most common values of `status`). */
  statusFreqs: Map<string, number>;
};

const STATS_TTL_MS = 10 * 60 * 1000;
const cache = new Map<string, { at: number; stats: TermStats }>();

/** Parses a Postgres text array literal (`{a,"b c"}`) into strings. */
export function parsePgTextArray(literal: string): string[] {
  const out: string[] = [];
  const body = literal.replace(/^\{|\}$/g, "");
  let i = 0;
  while (i < body.length) {
    if (body[i] === '"') {
      let s = "";
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === "\\") i++;
        s += body[i] ?? "";
        i++;
      }
      out.push(s);
      i += 2; // closing quote and comma
    } else {
      const end = body.indexOf(",", i);
      out.push(body.slice(i, end === -1 ? undefined : end));
      i = end === -1 ? body.length : end + 1;
    }
  }
  return out;
}

/** The lexeme frequencies ANALYZE keeps for `search_tsv`, and the table's row estimate. */
export const TERM_STATS_SQL = `SELECT s.most_common_elems::text AS elems, s.most_common_elem_freqs AS freqs,
    (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'properties'::regclass) AS rows,
    l.histogram_bounds::text AS listed_bounds,
    st.most_common_vals::text AS status_vals, st.most_common_freqs AS status_freqs
  FROM (SELECT 1) one
  LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'properties' AND s.attname = 'search_tsv'
  LEFT JOIN pg_stats l ON l.schemaname = current_schema() AND l.tablename = 'properties' AND l.attname = 'listed_at'
  LEFT JOIN pg_stats st ON st.schemaname = current_schema() AND st.tablename = 'properties' AND st.attname = 'status'`;

export type TermStatsRow = {
  elems: string | null;
  freqs: Array<number | string> | null;
  rows: number | string | null;
  listed_bounds?: string | null;
  status_vals?: string | null;
  status_freqs?: Array<number | string> | null;
};

/** Values (a text array literal) paired with their frequencies, in pg_stats' order. */
function frequencies(values: string[], freqs: Array<number | string>): Map<string, number> {
  return new Map(values.map((v, i) => [v, Number(freqs[i] ?? 0)]));
}

export function termStatsFromRow(row: TermStatsRow | undefined): TermStats {
  let freqs = new Map<string, number>();
  let minFreq = 0;
  if (row?.elems && row.freqs) {
    const elems = parsePgTextArray(row.elems);
    freqs = frequencies(elems, row.freqs);
    // The array ends with min, max (and null fraction) after one entry per element.
    minFreq = Number(row.freqs[elems.length] ?? 0);
  }
  const listedBounds = row?.listed_bounds ? parsePgTextArray(row.listed_bounds) : [];
  const statusFreqs =
    row?.status_vals && row.status_freqs ? frequencies(parsePgTextArray(row.status_vals), row.status_freqs) : new Map();
  return { rows: Number(row?.rows ?? 0), freqs, minFreq, listedBounds, statusFreqs };
}

export async function loadTermStats(env: Env): Promise<TermStats> {
  const url = env.DATABASE_URL ?? "";
  const hit = cache.get(url);
  if (hit && Date.now() - hit.at < STATS_TTL_MS) return hit.stats;
  const [row] = await queryRows<TermStatsRow>(env, { text: TERM_STATS_SQL, values: [] });
  const stats = termStatsFromRow(row);
  cache.set(url, { at: Date.now(), stats });
  return stats;
}

/** Roughly the 'simple' text-search parser: lower case, accents stripped, split into words. */
export function lexemes(q: string): string[] {
  return q
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Expected number of rows matching all words of `q` (the rarest word bounds an AND). */
export function estimateMatches(stats: TermStats, q: string): number {
  const words = lexemes(q);
  if (words.length === 0) return 0;
  const freq = Math.min(...words.map((w) => stats.freqs.get(w) ?? stats.minFreq / 2));
  return freq * stats.rows;
}

/** Up to this many matches, fetching them all through the GIN index and sorting costs a few ms. */
export const RARE_MATCHES = 2_000;
/**
 * A common word fills a page after a short walk in date order: about take × rows / matches rows.
 * Words that would walk further than this may get a window instead.
 */
export const WALK_ROWS = 1_500;
/** The window is sized to hold this many times the page's expected matches (skew, other statuses). */
export const WINDOW_MARGIN = 3;
/**
 * Cost of a row in the window's date-index bitmap relative to a match fetched and sorted, beyond the
 * GIN bitmap both build (measured at 1M rows: ~0.5 µs and ~2.5 µs). A walked row, which detoasts its
 * tsvector, costs 5-8 µs. With these, at 1M rows and a page of 20: fetch all up to ~3,500 matches,
 * window up to ~14,000, walk beyond; each about 10 ms at its worst.
 */
export const WINDOW_ROW_COST = 1 / 5;

/**
 * Fetching m matches and sorting them costs about m row visits; walking the date index until
 * `take` matches turn up costs about take / (m / rows) visits, each detoasting a tsvector (~2×
 * dearer). The two meet at m ≈ √(2 · take · rows).
 */
export function isRareTerm(stats: TermStats, q: string, take: number): boolean {
  const m = estimateMatches(stats, q);
  return m <= Math.max(RARE_MATCHES, Math.sqrt(2 * take * stats.rows));
}

/** Postgres' text form of a timestamptz (`2026-11-03 00:16:55.901+00`) in ms since the epoch. */
export function timestampMs(text: string): number {
  return Date.parse(text.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"));
}

/**
 * The newest-first window for a middle-frequency word, or undefined when fetching all matches or
 * walking is cheap enough. Its lower bound is a histogram bound far enough below the page's start
 * (the cursor, or the newest row) to hold WINDOW_MARGIN × take matches if the word is spread evenly
 * over time; rows newer than the histogram are inside the window too.
 */
export function textWindow(
  stats: TermStats,
  q: string,
  take: number,
  cursor?: Cursor,
  statuses?: readonly string[],
): string | undefined {
  const m = estimateMatches(stats, q);
  const bounds = stats.listedBounds;
  // The date index holds only the wanted statuses' rows, so the window's bitmap visits `windowRows`
  // whatever their share; the heap rows it yields are the matches of those statuses only.
  const windowRows = (WINDOW_MARGIN * take * stats.rows) / m;
  const fetchAll = m <= RARE_MATCHES || m <= windowRows * WINDOW_ROW_COST;
  const shortWalk = (take * stats.rows) / m <= WALK_ROWS;
  if (fetchAll || shortWalk || bounds.length < 2) return undefined;
  const buckets = bounds.length - 1;
  // The histogram counts rows of every status: a window holding WINDOW_MARGIN × take matches of the
  // wanted statuses spans 1 / share more of it. Without this, a window sized on all statuses holds
  // barely a page of active matches and often falls back to the walk.
  const share = Math.max(statusShare(stats, statuses), 1e-6);
  const span = Math.ceil(((WINDOW_MARGIN * take) / (m * share)) * buckets);
  let top = buckets;
  if (cursor?.key) {
    const at = timestampMs(cursor.key);
    while (top > 0 && timestampMs(bounds[top] as string) > at) top--;
  }
  const start = top - span;
  // A window of most of the table saves nothing over the plain plans.
  if (start < 1 || span > buckets / 2) return undefined;
  const since = timestampMs(bounds[start] as string);
  if (!Number.isFinite(since)) return undefined; // ±infinity or an unexpected DateStyle
  // As an ISO string, like the listed_since filter it joins (a ms lower: the window only grows).
  return new Date(since).toISOString();
}

/**
 * Share of the table's rows in these statuses, from ANALYZE's most common values (a status missing
 * from them shares what the listed ones leave); 1 when there are no statistics or no status filter.
 */
export function statusShare(stats: TermStats, statuses: readonly string[] | undefined): number {
  if (!statuses?.length || stats.statusFreqs.size === 0) return 1;
  const listed = [...stats.statusFreqs.values()].reduce((a, b) => a + b, 0);
  const rest = Math.max(0, 1 - listed);
  const share = statuses.reduce((sum, s) => sum + (stats.statusFreqs.get(s) ?? rest), 0);
  return Math.min(1, share);
}

export type StrategyChoice = { strategy: Strategy; window?: TextWindow };

/** Only the status filter (and a listing date floor) can go along with the window: others thin out its matches unpredictably. */
function onlyText(filters: Filters): boolean {
  const { statuses, q, listedSince, geo, priceCurrency: _priceCurrency, ...others } = filters;
  return Object.values(others).every((v) => v === undefined) && !hasSpatialFilter(geo);
}

/** The query shape for these filters, given the term statistics (see query.ts). */
export function strategyFor(
  filters: Filters,
  take: number,
  stats: TermStats | undefined,
  page: { sort?: SortName; cursor?: Cursor } = {},
): StrategyChoice {
  if (filters.q && stats && page.sort === "-listed_at" && onlyText(filters)) {
    const since = textWindow(stats, filters.q, take, page.cursor, filters.statuses);
    if (since)
      return { strategy: "windowed", window: { since, fallback: isRareTerm(stats, filters.q, take) ? "fenced" : "walk" } };
  }
  if (filters.q && (!stats || isRareTerm(stats, filters.q, take))) return { strategy: "fenced" };
  if (hasSpatialFilter(filters.geo)) return { strategy: "spatial" };
  return { strategy: filters.q ? "walk" : "plain" };
}

export async function chooseStrategy(
  env: Env,
  filters: Filters,
  take: number,
  page: { sort?: SortName; cursor?: Cursor } = {},
): Promise<StrategyChoice> {
  let stats: TermStats | undefined;
  if (filters.q) {
    try {
      stats = await loadTermStats(env);
    } catch (err) {
      // Without statistics, the fenced plan is the safe one: its cost is bounded by the matches.
      log(undefined, "warn", { msg: "term statistics unavailable", error: (err as Error).message });
    }
  }
  return strategyFor(filters, take, stats, page);
}
