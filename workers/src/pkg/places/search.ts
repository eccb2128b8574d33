/**
 * The place box's search (`GET /api/v1/places`) over the `places` view (migration 0013): localities,
 * postcodes and regions of the gazetteer and of the stored properties.
 *
 * - Matching is accent- and case-insensitive (`f_unaccent`, the same key as the city filter) and
 *   typo-tolerant: pg_trgm's word similarity between the query and the place's words (its name, region
 *   code and region name), so "Seattle WA" is Seattle, Washington and "Newcastel" still finds
 *   Newcastle. A name that starts with the query also matches, for the first letters typed.
 * - Both conditions use an index (the trigram GIN index, the name's prefix index): the view holds
 *   every gazetteer place, hundreds of thousands of rows.
 * - Ranking: how well the words match, the name itself weighing more (in tenths, so near-equal
 *   matches tie), then how many properties the place holds: "Newcastle" is Newcastle upon Tyne first when that is where the
 *   listings are, then the other Newcastles.
 */
import { SqlParams, type SqlQuery } from "../search/sql";

/** Word similarity a match must reach (pg_trgm's default `word_similarity_threshold`). */
export const MIN_SIMILARITY = 0.6;
/** The name's similarity when it starts with the query (the first letters typed). */
const PREFIX_SCORE = 0.9;
/** Share of the score from the name alone (the rest: all the place's words). */
const NAME_WEIGHT = 0.4;

export const PLACE_KINDS = ["locality", "postcode", "region"] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

export type PlaceRow = {
  id: string;
  kind: PlaceKind;
  country: string;
  name: string;
  region: string | null;
  label: string;
  property_count: number;
  lng: number;
  lat: number;
  west: number;
  south: number;
  east: number;
  north: number;
  filter: Record<string, string> | null;
  score: number;
};

/** Punctuation is a word break, as in the place's words ("Seattle, WA" = "Seattle WA"). */
export function normalisePlaceQuery(q: string): string {
  return q
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** LIKE's own wildcards in a prefix, escaped (the default escape character is `\`). */
function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function buildPlacesQuery(q: string, options: { countries?: string[]; kinds?: PlaceKind[]; limit: number }): SqlQuery {
  const p = new SqlParams();
  const text = normalisePlaceQuery(q);
  const key = `lower(f_unaccent(${p.add(text, "text")}))`;
  // Folded at plan time (f_unaccent is immutable), so the prefix LIKE uses the index.
  const prefix = `lower(f_unaccent(${p.add(likePrefix(text), "text")}))`;
  const where = [`(${key} <% pl.search_key OR pl.name_key LIKE ${prefix})`];
  if (options.countries) where.push(`pl.country = ANY(${p.add(options.countries, "bpchar[]")})`);
  if (options.kinds) where.push(`pl.kind = ANY(${p.add(options.kinds, "text[]")})`);
  // The words as a whole decide most; the name itself breaks near-ties, so Seattle the locality comes
  // before the postcodes whose words also say Seattle.
  const score = `(${1 - NAME_WEIGHT} * word_similarity(${key}, pl.search_key)
    + ${NAME_WEIGHT} * greatest(word_similarity(${key}, pl.name_key), CASE WHEN pl.name_key LIKE ${prefix} THEN ${PREFIX_SCORE} ELSE 0 END))`;
  return {
    text: `SELECT pl.id, pl.kind, pl.country::text AS country, pl.name, pl.region, pl.label, pl.property_count,
        pl.lng, pl.lat, pl.west, pl.south, pl.east, pl.north, pl.filter, ${score}::float8 AS score
      FROM places pl
      WHERE ${where.join(" AND ")}
      ORDER BY round((${score})::numeric, 1) DESC, pl.property_count DESC,
        array_position(ARRAY['locality', 'postcode', 'region'], pl.kind), pl.name, pl.id
      LIMIT ${p.add(options.limit, "int")}`,
    values: p.values,
  };
}
