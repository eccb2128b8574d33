/**
 * `npm run bench -- --only matching`: the database time of matching one ingest batch against saved
 * searches (docs/benchmarks.md "Saved-search matching"). It builds its own data: `--size` properties
 * (default here 200,000) in 2,000 localities of three countries, and `--searches` saved searches (default
 * 100,000) of 1,000 users, indexed by the real predicate code. Each measured batch gives 500 random
 * properties a price change (as ingest would, untimed), then runs the matcher's own statements on a
 * direct connection, timed: the candidate lookup and the history read, the confirming statements, the
 * event insert. JavaScript between them (parsing the candidate searches' queries) is timed apart.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { bundleForNode } from "./bundle.ts";
import { machineFacts } from "./machine.ts";
import { rngFor } from "./random.ts";
import { type Latency, summarise } from "./stats.ts";

type Matcher = typeof import("../workers/src/pkg/saved-searches/match.ts") &
  typeof import("../workers/src/pkg/saved-searches/predicates.ts") &
  typeof import("../workers/src/pkg/saved-searches/query.ts");

export type MatchingOptions = {
  properties: number;
  searches: number;
  batches: number;
  batchSize: number;
  seed: number;
  out: string;
};

/** Localities of the market (a national portal has many thousands; saved searches spread over them). */
const CITIES = 2000;

type City = { name: string; country: string; lat: number; lng: number };
const COUNTRIES = [
  { code: "AU", currency: "AUD", lat: [-38, -27], lng: [115, 153] },
  { code: "US", currency: "USD", lat: [30, 47], lng: [-122, -75] },
  { code: "GB", currency: "GBP", lat: [50.5, 56], lng: [-4, 1] },
] as const;

function cities(rng: () => number): City[] {
  return Array.from({ length: CITIES }, (_, i) => {
    const c = COUNTRIES[i % 3]!;
    return {
      name: `Benchtown ${i}`,
      country: c.code,
      lat: c.lat[0] + rng() * (c.lat[1] - c.lat[0]),
      lng: c.lng[0] + rng() * (c.lng[1] - c.lng[0]),
    };
  });
}

/**
 * A saved search's query, shaped like the alerts people keep: a place (mostly a locality, else an area
 * around one, a few a whole country or anywhere), a price band, often a property type and bedrooms.
 */
function searchQuery(rng: () => number, places: City[]): string {
  // Popular places are saved more often (a skewed pick).
  const city = places[Math.floor(rng() ** 2 * places.length)]!;
  const low = 150_000 + Math.floor(rng() * 16) * 50_000;
  const band = `min_price=${low}&max_price=${low + 100_000 + Math.floor(rng() * 4) * 50_000}`;
  const type = rng() < 0.6 ? `&property_type=${["house", "apartment", "townhouse"][Math.floor(rng() * 3)]}` : "";
  const beds = rng() < 0.7 ? `&min_bedrooms=${1 + Math.floor(rng() * 4)}` : "";
  const r = rng();
  if (r < 0.55) return `city=${encodeURIComponent(city.name)}&${band}${type}${beds}`;
  if (r < 0.83) {
    const lat = (city.lat + (rng() - 0.5) * 0.1).toFixed(4);
    const lng = (city.lng + (rng() - 0.5) * 0.1).toFixed(4);
    return `near=${lat},${lng}&radius_km=${1 + Math.floor(rng() * 10)}&${band}${type}`;
  }
  if (r < 0.95) {
    const d = 0.02 + rng() * 0.08;
    return `bbox=${(city.lng - d).toFixed(4)},${(city.lat - d).toFixed(4)},${(city.lng + d).toFixed(4)},${(city.lat + d).toFixed(4)}&${band}${beds}`;
  }
  if (r < 0.99) return `country=${city.country}&min_price=${low}&max_price=${low + 20_000}${type}${beds}`;
  return `min_price=${low}&max_price=${low + 5_000}&property_type=house${beds}`;
}

async function seed(client: pg.Client, m: Matcher, o: MatchingOptions, log: (s: string) => void) {
  const r = rngFor(o.seed, 7);
  const rng = () => r.next();
  const places = cities(rng);
  await client.query(
    "CREATE TEMP TABLE bench_cities (i int, name text, country char(2), currency char(3), lat float8, lng float8)",
  );
  await client.query(
    `INSERT INTO bench_cities SELECT r.i, r.name, r.country, r.currency, r.lat, r.lng
     FROM jsonb_to_recordset($1::jsonb) AS r(i int, name text, country text, currency text, lat float8, lng float8)`,
    [JSON.stringify(places.map((c, i) => ({ ...c, i, currency: COUNTRIES.find((x) => x.code === c.country)!.currency })))],
  );
  log(`loading ${o.properties} properties`);
  await client.query(
    `INSERT INTO properties (primary_source, property_type, listing_type, status, city, state, country, currency, location,
                             price_minor, bedrooms, listed_at)
     SELECT 'bench', (ARRAY['house','apartment','townhouse'])[1 + g % 3], 'sale', 'active', c.name, 'ST', c.country, c.currency,
            ST_SetSRID(ST_MakePoint(c.lng + (random() - 0.5) * 0.2, c.lat + (random() - 0.5) * 0.2), 4326)::geography,
            (150000 + floor(random() * 900000))::bigint * 100, (1 + g % 5)::smallint, now() - (g % 365) * interval '1 day'
     FROM generate_series(1, $1::int) g JOIN bench_cities c ON c.i = g % $2`,
    [o.properties, CITIES],
  );
  log(`saving ${o.searches} searches`);
  await client.query(
    `INSERT INTO users (email, password_hash) SELECT 'bench-' || g || '@bench.invalid', '!' FROM generate_series(1, 1000) g
     ON CONFLICT DO NOTHING`,
  );
  const { rows: users } = await client.query<{ id: string }>("SELECT id FROM users WHERE email LIKE 'bench-%@bench.invalid'");
  const CHUNK = 5000;
  for (let start = 0; start < o.searches; start += CHUNK) {
    const searches = [];
    const predicates = [];
    for (let i = start; i < Math.min(o.searches, start + CHUNK); i++) {
      const { text, filters } = m.parseSavedQuery(searchQuery(rng, places));
      const id = crypto.randomUUID();
      searches.push({ id, user_id: users[i % users.length]!.id, name: `search ${i}`, query: text });
      const [minPrice, maxPrice] = m.priceRangeMinor(filters);
      for (const row of m.predicateRows(filters)) {
        predicates.push({
          id,
          anchor: row.anchor,
          country: row.country,
          city: row.city,
          e: row.envelope,
          min_price: minPrice,
          max_price: maxPrice,
          min_beds: filters.facts?.min_bedrooms ?? null,
          max_beds: filters.facts?.max_bedrooms ?? null,
        });
      }
    }
    await client.query(
      `INSERT INTO saved_searches (id, user_id, name, query, events, created_at)
       SELECT r.id, r.user_id, r.name, r.query, '{new_match,price_drop,status_change,back_on_market}', now() - interval '1 day'
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, user_id uuid, name text, query text)`,
      [JSON.stringify(searches)],
    );
    await client.query(
      `INSERT INTO saved_search_predicates (saved_search_id, anchor, country, city_key, area, min_price_minor, max_price_minor, min_bedrooms, max_bedrooms)
       SELECT r.id, r.anchor, r.country, lower(f_unaccent(r.city)),
              CASE WHEN r.e IS NULL THEN NULL ELSE ST_MakeEnvelope((r.e->>'minLng')::float8, (r.e->>'minLat')::float8,
                   (r.e->>'maxLng')::float8, (r.e->>'maxLat')::float8, 4326) END,
              r.min_price, r.max_price, r.min_beds, r.max_beds
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, anchor text, country text, city text, e jsonb, min_price bigint,
                                               max_price bigint, min_beds smallint, max_beds smallint)`,
      [JSON.stringify(predicates)],
    );
  }
  await client.query("ANALYZE properties; ANALYZE saved_searches; ANALYZE saved_search_predicates");
}

type BatchTiming = { db: number; candidates: number; history: number; confirm: number; insert: number; js: number };
type BatchCounts = { candidates: number; confirmed: number; events: number };

/** One ingest batch: 500 properties get a price change (untimed), then the matcher's statements run (timed). */
async function batch(
  client: pg.Client,
  m: Matcher,
  o: MatchingOptions,
  all: string[],
): Promise<{ t: BatchTiming; n: BatchCounts }> {
  const chosen = new Set<string>();
  while (chosen.size < Math.min(o.batchSize, all.length)) chosen.add(all[Math.floor(Math.random() * all.length)]!);
  const ids = [...chosen];
  await client.query(
    `WITH p AS (UPDATE properties SET price_minor = price_minor - 500000, updated_at = now() WHERE id = ANY($1::uuid[])
                RETURNING id, price_minor, currency)
     INSERT INTO property_events (property_id, type, old, new, source)
     SELECT id, 'price_change', jsonb_build_object('price', (price_minor + 500000) / 100, 'currency', currency),
            jsonb_build_object('price', price_minor / 100, 'currency', currency), 'bench' FROM p`,
    [ids],
  );
  const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const value = await fn();
    return [value, performance.now() - t0];
  };
  const [[candidates, history], tLookup] = await time(() =>
    Promise.all([
      client.query(m.CANDIDATES_SQL, [ids]).then((r) => r.rows as never[]),
      client.query(m.HISTORY_SQL, [ids, m.HISTORY_WINDOW]).then((r) => r.rows as never[]),
    ]),
  );
  const t0 = performance.now();
  const queries = m.confirmQueries(m.candidateSearches(candidates));
  const js0 = performance.now() - t0;
  let confirmMs = 0;
  const confirmed: Array<{ search: never; property_id: string; in_status: boolean }> = [];
  for (const q of queries) {
    const [res, ms] = await time(() => client.query(q.text, q.values));
    confirmMs += ms;
    for (const r of res.rows as unknown as Array<{ i: number; property_id: string; in_status: boolean }>)
      confirmed.push({ ...r, search: q.searches[r.i] as never });
  }
  const t1 = performance.now();
  const historyOf = new Map<string, never[]>();
  for (const h of history as Array<{ property_id: string }>)
    historyOf.set(h.property_id, [...(historyOf.get(h.property_id) ?? []), h as never]);
  const events = confirmed.flatMap((r) => m.eventsFor(r.search, r.property_id, r.in_status, historyOf.get(r.property_id) ?? []));
  const js1 = performance.now() - t1;
  const [, insertMs] = await time(() => client.query(m.INSERT_SQL, [JSON.stringify(events)]));
  return {
    t: {
      db: tLookup + confirmMs + insertMs,
      candidates: tLookup,
      history: 0,
      confirm: confirmMs,
      insert: insertMs,
      js: js0 + js1,
    },
    n: { candidates: candidates.length, confirmed: confirmed.length, events: events.length },
  };
}

export async function runMatchingBench(databaseUrl: string, o: MatchingOptions, log: (s: string) => void): Promise<void> {
  const m = await bundleForNode<Matcher>(
    `export * from "./workers/src/pkg/saved-searches/match.ts"; export * from "./workers/src/pkg/saved-searches/predicates.ts"; export * from "./workers/src/pkg/saved-searches/query.ts";`,
    "matching",
  );
  const client = new pg.Client(databaseUrl);
  await client.connect();
  try {
    await seed(client, m, o, log);
    const all = (await client.query<{ id: string }>("SELECT id FROM properties WHERE primary_source = 'bench'")).rows.map(
      (r) => r.id,
    );
    const machine = await machineFacts(client);
    log("warming up (5 batches)");
    for (let i = 0; i < 5; i++) await batch(client, m, o, all);
    log(`measuring ${o.batches} batches of ${o.batchSize}`);
    const runs: Array<{ t: BatchTiming; n: BatchCounts }> = [];
    for (let i = 0; i < o.batches; i++) runs.push(await batch(client, m, o, all));
    const pick = (k: keyof BatchTiming): Latency => summarise(runs.map((r) => r.t[k]));
    const mean = (k: keyof BatchCounts) => Math.round(runs.reduce((a, r) => a + r.n[k], 0) / runs.length);
    const result = {
      options: o,
      machine,
      databaseMs: pick("db"),
      steps: { lookup: pick("candidates"), confirm: pick("confirm"), insert: pick("insert"), javascript: pick("js") },
      perBatch: { candidates: mean("candidates"), confirmed: mean("confirmed"), events: mean("events") },
    };
    const f = (l: Latency) => `${l.p50.toFixed(1)} | ${l.p95.toFixed(1)} | ${l.max.toFixed(1)}`;
    const md = [
      "# Saved-search matching",
      "",
      `\`npm run bench -- --only matching --size ${o.properties} --searches ${o.searches}\` on ${machine.date} (${machine.cpus} × ${machine.cpuModel}, Postgres ${machine.postgres}, PostGIS ${machine.postgis}; load average at the start ${machine.loadAverageAtStart.map((l) => l.toFixed(1)).join(", ")}: other work on the same cores shows in every figure).`,
      "",
      `${o.searches.toLocaleString("en")} saved searches (each with a price band of 100–250k, 60 % a property type, 70 % a bedroom minimum; 55 % in a locality, 28 % within a 1–10 km radius, 12 % in a viewport, 4 % a whole country with a 20k price band, 1 % anywhere with a 5k band) over ${o.properties.toLocaleString("en")} properties in ${CITIES} localities of 3 countries, prices 150k–1.05M. Each batch: ${o.batchSize} random properties get a price drop (untimed), then the matcher's statements run on one direct connection (timed, ${o.batches} batches after 5 warm-up ones).`,
      "",
      "| per batch of 500 | p50 ms | p95 ms | max ms |",
      "| --- | ---: | ---: | ---: |",
      `| **database time (all statements)** | ${f(result.databaseMs)} |`,
      `| candidates + history (one round trip, in parallel) | ${f(result.steps.lookup)} |`,
      `| confirming statements (${Math.ceil(result.perBatch.candidates / 1)} candidate pairs on average) | ${f(result.steps.confirm)} |`,
      `| event insert | ${f(result.steps.insert)} |`,
      `| JavaScript between them (not database time) | ${f(result.steps.javascript)} |`,
      "",
      `On average a batch had ${result.perBatch.candidates} candidate (search, property) pairs from the predicate index, ${result.perBatch.confirmed} confirmed by the exact filters, and ${result.perBatch.events} events recorded.`,
      "",
    ].join("\n");
    mkdirSync(o.out, { recursive: true });
    writeFileSync(join(o.out, "matching.md"), md);
    writeFileSync(join(o.out, "matching.json"), `${JSON.stringify(result, null, 2)}\n`);
    log(
      `database time p50 ${result.databaseMs.p50.toFixed(1)} ms, p95 ${result.databaseMs.p95.toFixed(1)} ms → ${join(o.out, "matching.md")}`,
    );
  } finally {
    await client.end();
  }
}
