/**
 * Picks the query shape (see query.ts) from what Postgres' own statistics say about the request.
 *
 * Full text (P6): the cost of a search sorted by date depends on how common the words are. A rare
 * word has few GIN matches (fetch them all and sort: cheap) but would take a long walk in date order;
 * a common word is the reverse. The frequencies are the ones ANALYZE keeps for `search_tsv`
 * (`pg_stats.most_common_elems`), read once per isolate and kept for a while: no extra round trip
 * per search. A word missing from that list is rarer than every word in it.
 */
import type { Env } from "../../env";
import { log } from "../log";
import { hasSpatialFilter } from "./geo";
import type { Filters } from "./params";
import type { Strategy } from "./query";
import { queryRows } from "./run";

export type TermStats = { rows: number; freqs: Map<string, number>; minFreq: number };

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
    (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'properties'::regclass) AS rows
  FROM (SELECT 1) one
  LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'properties' AND s.attname = 'search_tsv'`;

export type TermStatsRow = { elems: string | null; freqs: Array<number | string> | null; rows: number | string | null };

export function termStatsFromRow(row: TermStatsRow | undefined): TermStats {
  const freqs = new Map<string, number>();
  let minFreq = 0;
  if (row?.elems && row.freqs) {
    const elems = parsePgTextArray(row.elems);
    elems.forEach((e, i) => {
      freqs.set(e, Number(row.freqs?.[i] ?? 0));
    });
    // The array ends with min, max (and null fraction) after one entry per element.
    minFreq = Number(row.freqs[elems.length] ?? 0);
  }
  return { rows: Number(row?.rows ?? 0), freqs, minFreq };
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

/**
 * Fetching m matches and sorting them costs about m row visits; walking the date index until
 * `take` matches turn up costs about take / (m / rows) visits, each detoasting a tsvector (~2×
 * dearer). The two meet at m ≈ √(2 · take · rows).
 */
export function isRareTerm(stats: TermStats, q: string, take: number): boolean {
  const m = estimateMatches(stats, q);
  return m <= Math.max(2000, Math.sqrt(2 * take * stats.rows));
}

/** The query shape for these filters, given the term statistics (see query.ts). */
export function strategyFor(filters: Filters, take: number, stats: TermStats | undefined): Strategy {
  if (filters.q && (!stats || isRareTerm(stats, filters.q, take))) return "fenced";
  if (hasSpatialFilter(filters.geo)) return "spatial";
  return filters.q ? "walk" : "plain";
}

export async function chooseStrategy(env: Env, filters: Filters, take: number): Promise<Strategy> {
  let stats: TermStats | undefined;
  if (filters.q) {
    try {
      stats = await loadTermStats(env);
    } catch (err) {
      // Without statistics, the fenced plan is the safe one: its cost is bounded by the matches.
      log(undefined, "warn", { msg: "term statistics unavailable", error: (err as Error).message });
    }
  }
  return strategyFor(filters, take, stats);
}
