/**
 * The predicate rows and the search's own filter must not drift apart: for many random saved searches and
 * properties, a search whose rows are `exact` matches through its rows (the matcher's candidate lookup,
 * `CANDIDATES_SQL`, plus its statuses) exactly the properties its filter (`filterConditions`, the SQL
 * `GET /api/v1/properties` runs) finds; a search with filters the rows cannot hold gets at least those
 * (its rows are necessary conditions; the filter confirms). Everything lives far from other tests' places,
 * and only this test's searches are compared.
 */
import { describe, expect, it } from "vitest";
import { testEnv } from "../../../test/helpers";
import { getSql } from "../db";
import { filterConditions } from "../search/filters";
import { and, SqlParams } from "../search/sql";
import { CANDIDATES_SQL } from "./match";
import { insertPredicatesSql, predicateRecords, rowDecides } from "./predicates";
import { parseSavedQuery } from "./query";

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const some = <T>(xs: readonly T[]): T[] => [...new Set([pick(xs), ...(next() < 0.4 ? [pick(xs)] : [])])];
  return { next, pick, some };
}

const SEED = 24;
const [LAT, LNG, SPAN] = [60.1, 24.6, 0.4];
const CITIES = ["Ålesund", "alesund", "Nordby", "Sørvik", "Sorvik", "Kittilä"];
const COUNTRIES = { AU: "AUD", NZ: "NZD", JP: "JPY" } as const;
const TYPES = ["house", "apartment", "townhouse", "land"];

function randomQuery(g: ReturnType<typeof generator>): string {
  const q: string[] = [];
  const lat = () => (LAT + g.next() * SPAN).toFixed(4);
  const lng = () => (LNG + g.next() * SPAN).toFixed(4);
  const r = g.next();
  if (r < 0.25) q.push(`city=${encodeURIComponent(g.some(CITIES).join(","))}`);
  else if (r < 0.45) q.push(`near=${lat()},${lng()}`, `radius_km=${1 + Math.floor(g.next() * 20)}`);
  else if (r < 0.6) {
    const [a, b] = [LAT + g.next() * SPAN * 0.6, LNG + g.next() * SPAN * 0.6];
    q.push(
      `bbox=${b.toFixed(4)},${a.toFixed(4)},${(b + 0.05 + g.next() * 0.2).toFixed(4)},${(a + 0.05 + g.next() * 0.2).toFixed(4)}`,
    );
  } else if (r < 0.66) q.push(`polygon=${encodeURIComponent(`${lat()},${lng()};${lat()},${lng()};${lat()},${lng()}`)}`);
  else if (r < 0.7) q.push(`near=${lat()},${lng()}`, "radius_km=15", `bbox=${LNG},${LAT},${LNG + 0.2},${LAT + 0.2}`);
  else if (r < 0.74) q.push(`city=${encodeURIComponent(g.pick(CITIES))}`, `near=${lat()},${lng()}`, "radius_km=20");
  if (g.next() < 0.3) q.push(`country=${g.some(Object.keys(COUNTRIES)).join(",")}`);
  if (g.next() < 0.3) q.push(`status=${g.some(["active", "pending", "sold"]).join(",")}`);
  if (g.next() < 0.3) q.push(`listing_type=${g.pick(["sale", "rent", "sale,rent"])}`);
  if (g.next() < 0.4) q.push(`property_type=${g.some(TYPES).join(",")}`);
  if (g.next() < 0.2) q.push(`currency=${g.pick(Object.values(COUNTRIES))}`);
  const low = 100_000 + Math.floor(g.next() * 8) * 100_000;
  if (g.next() < 0.5) q.push(`min_price=${low}`);
  if (g.next() < 0.5) q.push(`max_price=${low + 100_000 + Math.floor(g.next() * 5) * 100_000}`);
  if (g.next() < 0.4) q.push(`min_bedrooms=${1 + Math.floor(g.next() * 4)}`);
  if (g.next() < 0.2) q.push(`max_bedrooms=${2 + Math.floor(g.next() * 4)}`);
  // Filters no predicate row holds.
  const extra = g.next();
  if (extra < 0.05) q.push("features=garden");
  else if (extra < 0.1) q.push("min_bathrooms=2");
  else if (extra < 0.13) q.push("q=harbour");
  return q.join("&");
}

function randomProperty(g: ReturnType<typeof generator>) {
  const country = g.pick(Object.keys(COUNTRIES)) as keyof typeof COUNTRIES;
  const currency = g.next() < 0.15 ? g.pick(Object.values(COUNTRIES)) : COUNTRIES[country];
  const major = 100_000 + Math.floor(g.next() * 1_000_000);
  return {
    country,
    currency,
    status: g.pick(["active", "active", "pending", "sold"]),
    listing_type: g.pick(["sale", "sale", "rent"]),
    property_type: g.pick(TYPES),
    price_minor: g.next() < 0.1 ? null : currency === "JPY" ? major : major * 100,
    bedrooms: g.next() < 0.1 ? null : Math.floor(g.next() * 6),
    bathrooms: Math.floor(g.next() * 3),
    city: g.next() < 0.1 ? null : g.pick(CITIES),
    lat: LAT + g.next() * SPAN,
    lng: LNG + g.next() * SPAN,
    features: g.next() < 0.5 ? ["garden"] : [],
    title: g.next() < 0.3 ? "Harbour view" : "Quiet street",
  };
}

describe("predicate rows and the search filter decide alike", () => {
  it("for random saved searches and properties: exact rows match exactly what the filter finds, inexact ones a superset", async () => {
    const g = generator(SEED);
    const sql = getSql(testEnv);
    const [user] = (await sql.query("INSERT INTO users (email, password_hash) VALUES ($1, '!') RETURNING id", [
      `agreement-${crypto.randomUUID()}@example.com`,
    ])) as unknown as [{ id: string }];

    const searches: Array<{ id: string; query: string; filters: ReturnType<typeof parseSavedQuery>["filters"] }> = [];
    while (searches.length < 400) {
      const raw = randomQuery(g);
      try {
        const { text, filters } = parseSavedQuery(raw);
        searches.push({ id: crypto.randomUUID(), query: text, filters });
      } catch {
        // A combination the search itself refuses (a bbox or band the parser rejects): not a saved search.
      }
    }
    await sql.query(
      `INSERT INTO saved_searches (id, user_id, name, query, events, created_at)
       SELECT r.id, $2, 'agreement', r.query, '{new_match}', now() FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, query text)`,
      [JSON.stringify(searches.map((s) => ({ id: s.id, query: s.query }))), user.id],
    );
    await sql.query(insertPredicatesSql("$1"), [JSON.stringify(searches.flatMap((s) => predicateRecords(s.id, s.filters)))]);

    const properties = Array.from({ length: 300 }, () => randomProperty(g));
    const rows = (await sql.query(
      `INSERT INTO properties (primary_source, title, property_type, listing_type, status, city, country, currency, location,
                               price_minor, bedrooms, bathrooms, features)
       SELECT 'agreement.test', r.title, r.property_type, r.listing_type, r.status, r.city, r.country, r.currency,
              ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)::geography, r.price_minor, r.bedrooms, r.bathrooms, r.features
       FROM jsonb_to_recordset($1::jsonb) AS r(title text, property_type text, listing_type text, status text, city text,
         country text, currency text, lng float8, lat float8, price_minor bigint, bedrooms smallint, bathrooms real, features text[])
       RETURNING id, status`,
      [JSON.stringify(properties)],
    )) as unknown as Array<{ id: string; status: string }>;
    const ids = rows.map((r) => r.id);
    const statusOf = new Map(rows.map((r) => [r.id, r.status]));

    // The matcher's decision: the candidate rows, their statuses.
    const mine = new Set(searches.map((s) => s.id));
    const byRows = new Map<string, Set<string>>();
    const candidates = (await sql.query(CANDIDATES_SQL, [ids])) as unknown as Array<{
      saved_search_id: string;
      property_id: string;
      statuses: string[];
    }>;
    for (const c of candidates) {
      if (!mine.has(c.saved_search_id) || !c.statuses.includes(statusOf.get(c.property_id) ?? "")) continue;
      byRows.set(c.saved_search_id, (byRows.get(c.saved_search_id) ?? new Set()).add(c.property_id));
    }

    // The search's decision: its own filter, as the search runs it.
    const results = (await sql.transaction(
      searches.map((s) => {
        const p = new SqlParams();
        const where = and([`p.id = ANY(${p.add(ids, "uuid[]")})`, ...filterConditions(p, s.filters)]);
        return sql.query(`SELECT p.id FROM properties p WHERE ${where}`, p.values);
      }),
    )) as unknown as Array<Array<{ id: string }>>;

    let [exact, matches] = [0, 0];
    searches.forEach((s, i) => {
      const byFilter = new Set((results[i] ?? []).map((r) => r.id));
      const rowSet = byRows.get(s.id) ?? new Set<string>();
      matches += byFilter.size;
      if (rowDecides(s.filters)) {
        exact++;
        expect([...rowSet].sort(), `exact search ${s.query}`).toEqual([...byFilter].sort());
      } else {
        expect(
          [...byFilter].filter((id) => !rowSet.has(id)),
          `inexact search ${s.query}`,
        ).toEqual([]);
      }
    });
    // The comparison means something: most searches are exact, and there are matches to agree on.
    expect(exact).toBeGreaterThan(250);
    expect(matches).toBeGreaterThan(300);
  });
});
