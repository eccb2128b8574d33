/**
 * Sorts and keyset cursors. Every sort is a total order `(key, id)` in one direction, so a cursor is
 * just the last row's `(key, id)` and the next page is `(key, id) > (…)` (or `<`): stable while rows
 * are inserted, and an index condition on the matching sort index (docs/query-design.md "P10").
 *
 * Keys that can be NULL (price, price per m²) are walked as two segments, non-null rows first and
 * then the NULL rows by id, each segment on its own index range; the cursor says which segment it
 * is in. The segment, key and id travel as text so no precision is lost (timestamps have µs).
 */
import { isValidKeyFor } from "../validation/bounded";
import { invalid } from "./invalid";
import type { SqlParams } from "./sql";

export const SORTS = ["-listed_at", "price", "-price", "price_per_sqm", "-updated_at", "distance"] as const;
export type SortName = (typeof SORTS)[number];

export type SortSpec = {
  name: SortName;
  /** SQL of the key; `distance` needs the near point. */
  column: string;
  desc: boolean;
  nullable: boolean;
  /** ORDER BY direction written to match the index scan (a DESC index or a backward scan). */
  order: string;
  cast: string;
};

const spec = (name: SortName, column: string, desc: boolean, nullable: boolean, order: string, cast: string): SortSpec => ({
  name,
  column,
  desc,
  nullable,
  order,
  cast,
});

export const SORT_SPECS: Record<Exclude<SortName, "distance">, SortSpec> = {
  // properties_status_listed_idx / _updated_idx are (status, key DESC NULLS LAST, id DESC NULLS LAST).
  "-listed_at": spec("-listed_at", "p.listed_at", true, false, "DESC NULLS LAST", "timestamptz"),
  "-updated_at": spec("-updated_at", "p.updated_at", true, false, "DESC NULLS LAST", "timestamptz"),
  // (price_minor, id) ascending; -price is its backward scan (DESC NULLS FIRST; the NULLs are a separate segment).
  price: spec("price", "p.price_minor", false, true, "ASC", "bigint"),
  "-price": spec("-price", "p.price_minor", true, true, "DESC", "bigint"),
  price_per_sqm: spec("price_per_sqm", "p.price_per_sqm", false, true, "ASC", "real"),
};

/** Distance is the sphere distance the GiST KNN operator orders by, in metres. */
export function distanceSort(point: string): SortSpec {
  return spec("distance", `(p.location <-> ${point})`, false, false, "ASC", "float8");
}

export type Segment = "value" | "null";
export type Cursor = { sort: SortName; segment: Segment; key: string | null; id: string; fingerprint: string };

const b64url = (s: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const fromB64url = (s: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0)));

export function encodeCursor(c: Cursor): string {
  return b64url(JSON.stringify({ v: 1, s: c.sort, g: c.segment, k: c.key, i: c.id, f: c.fingerprint }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(value: string, sort: SortName, fingerprint: string): Cursor {
  let raw: { v?: unknown; s?: unknown; g?: unknown; k?: unknown; i?: unknown; f?: unknown };
  try {
    raw = JSON.parse(fromB64url(value));
  } catch {
    throw invalid("cursor", "is not a cursor this API issued");
  }
  const ok =
    raw &&
    raw.v === 1 &&
    (raw.g === "value" || raw.g === "null") &&
    (typeof raw.k === "string" || (raw.k === null && raw.g === "null")) &&
    typeof raw.i === "string" &&
    UUID.test(raw.i) &&
    typeof raw.f === "string";
  if (!ok) throw invalid("cursor", "is not a cursor this API issued");
  if (raw.s !== sort || raw.f !== fingerprint) {
    throw invalid("cursor", "belongs to a different query; send the same filters and sort as the first page");
  }
  // The fingerprint is no signature: a client can edit the key. It must be a value of the sort column's
  // type before it reaches SQL ("1e999", "not a date" and "NaN" are refused here, not by Postgres).
  const cast = sort === "distance" ? "float8" : SORT_SPECS[sort].cast;
  if (raw.g === "value" && !(typeof raw.k === "string" && isValidKeyFor(cast, raw.k))) {
    throw invalid("cursor", "is not a cursor this API issued");
  }
  return { sort, segment: raw.g as Segment, key: raw.k as string | null, id: raw.i as string, fingerprint };
}

/** The condition that selects rows after the cursor within its segment. */
export function keysetCondition(p: SqlParams, s: SortSpec, c: Cursor): string {
  const op = s.desc ? "<" : ">";
  if (c.segment === "null") return `p.id ${op} ${p.add(c.id, "uuid")}`;
  return `(${s.column}, p.id) ${op} (${p.add(c.key, s.cast)}, ${p.add(c.id, "uuid")})`;
}

/** A short, stable fingerprint of the filters, so a cursor cannot be replayed against other filters. */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
