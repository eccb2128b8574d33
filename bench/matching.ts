/**
 * `npm run bench -- --only matching`: the database time of matching one ingest batch against saved
 * searches (docs/benchmarks.md "Saved-search matching"). It builds its own data: `--size` properties
 * (default here 200,000) in 2,000 localities of three countries, and `--searches` saved searches (default
 * 100,000) of 1,000 users, indexed by the real predicate code. Two kinds of measured batch alternate:
 * 500 random properties get a price drop, or 500 new properties are listed (each untimed, as ingest would
 * write them); then the matcher's own statements run on a direct connection, timed: the matching statement
 * (candidates, decisions on the predicate rows, events and deliveries), the confirming statements and the
 * events statement of searches the rows cannot decide. JavaScript between them is timed apart. Before the
 * searches are saved, the same batches run against none (what matching costs a deployment without any).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
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
  // A few also want a feature, which no predicate row holds: their own filter confirms them.
  const feature = rng() < 0.02 ? "&features=garage" : "";
  const r = rng();
  if (r < 0.55) return `city=${encodeURIComponent(city.name)}&${band}${type}${beds}${feature}`;
  if (r < 0.83) {
    const lat = (city.lat + (rng() - 0.5) * 0.1).toFixed(4);
    const lng = (city.lng + (rng() - 0.5) * 0.1).toFixed(4);
    return `near=${lat},${lng}&radius_km=${1 + Math.floor(rng() * 10)}&${band}${type}${feature}`;
  }
  if (r < 0.95) {
    const d = 0.02 + rng() * 0.08;
    return `bbox=${(city.lng - d).toFixed(4)},${(city.lat - d).toFixed(4)},${(city.lng + d).toFixed(4)},${(city.lat + d).toFixed(4)}&${band}${beds}`;
  }
  if (r < 0.99) return `country=${city.country}&min_price=${low}&max_price=${low + 20_000}${type}${beds}`;
  return `min_price=${low}&max_price=${low + 5_000}&property_type=house${beds}`;
}

async function seedProperties(client: pg.Client, o: MatchingOptions, log: (s: string) => void) {
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
  await client.query(`${NEW_PROPERTIES_SQL} SELECT count(*) FROM p`, [o.properties, 0]);
  await client.query("ANALYZE properties");
  return places;
}

/** New properties in the bench's localities ($1 how many, $2 an offset spreading them): CTE `p`. */
const NEW_PROPERTIES_SQL = `
WITH p AS (
  INSERT INTO properties (primary_source, property_type, listing_type, status, city, state, country, currency, location,
                          price_minor, bedrooms, listed_at)
  SELECT 'bench', (ARRAY['house','apartment','townhouse'])[1 + g % 3], 'sale', 'active', c.name, 'ST', c.country, c.currency,
         ST_SetSRID(ST_MakePoint(c.lng + (random() - 0.5) * 0.2, c.lat + (random() - 0.5) * 0.2), 4326)::geography,
         (150000 + floor(random() * 900000))::bigint * 100, (1 + g % 5)::smallint, now() - (g % 365) * interval '1 day'
  FROM generate_series(1, $1::int) g JOIN bench_cities c ON c.i = (g * 7919 + $2::int) % ${CITIES}
  RETURNING id, status, price_minor, currency
)`;

async function seedSearches(client: pg.Client, m: Matcher, o: MatchingOptions, places: City[], log: (s: string) => void) {
  const r = rngFor(o.seed, 8);
  const rng = () => r.next();
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
      // One search in a hundred has a webhook (deliveries are made for those only).
      const webhook = i % 100 === 0 ? "https://hooks.example.com/bench" : null;
      searches.push({ id, user_id: users[i % users.length]!.id, name: `search ${i}`, query: text, webhook });
      predicates.push(...m.predicateRecords(id, filters));
    }
    await client.query(
      `INSERT INTO saved_searches (id, user_id, name, query, events, webhook_url, webhook_secret, created_at)
       SELECT r.id, r.user_id, r.name, r.query, '{new_match,price_drop,status_change,back_on_market}', r.webhook,
              CASE WHEN r.webhook IS NULL THEN NULL ELSE 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' END, now() - interval '1 day'
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, user_id uuid, name text, query text, webhook text)`,
      [JSON.stringify(searches)],
    );
    await client.query(m.insertPredicatesSql("$1"), [JSON.stringify(predicates)]);
  }
  await client.query("ANALYZE saved_searches; ANALYZE saved_search_predicates");
}

type Kind = "price_drop" | "new_property";
type BatchTiming = { db: number; match: number; confirm: number; events: number; js: number; lookup: number };
type BatchCounts = {
  candidates: number;
  decided: number;
  unconfirmed: number;
  exactConfirmed: number;
  eventRows: number;
  searchEvents: number;
  deliveries: number;
};
type Batch = { kind: Kind; t: BatchTiming; n: BatchCounts };

/** The ids of one batch, written as ingest would write them (untimed). */
async function write(client: pg.Client, kind: Kind, o: MatchingOptions, all: string[]): Promise<string[]> {
  if (kind === "new_property") {
    const { rows } = await client.query<{ id: string }>(
      `${NEW_PROPERTIES_SQL}, e AS (
         INSERT INTO property_events (property_id, type, old, new, source)
         SELECT id, 'listed', NULL, jsonb_build_object('status', status, 'price', price_minor / 100, 'currency', currency), 'bench' FROM p)
       SELECT id FROM p`,
      [o.batchSize, Math.floor(Math.random() * CITIES)],
    );
    return rows.map((r) => r.id);
  }
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
  return ids;
}

type MatchRow = {
  candidates: number;
  decided: number;
  events: number;
  search_events: number;
  deliveries: string[];
  unconfirmed: never[];
};

/** The matcher's statements for one batch, as `recordMatches` runs them, each timed. */
async function match(client: pg.Client, m: Matcher, ids: string[]): Promise<{ t: BatchTiming; n: BatchCounts }> {
  const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const value = await fn();
    return [value, performance.now() - t0];
  };
  // As `recordMatches`: a check that any search is indexed first, the matching statement only then.
  const [[any], checkMs] = await time(() =>
    client.query(m.ANY_SAVED_SEARCHES_SQL).then((r) => r.rows as Array<{ any: boolean }>),
  );
  const empty: MatchRow = { candidates: 0, decided: 0, events: 0, search_events: 0, deliveries: [], unconfirmed: [] };
  const [main, statementMs] = any?.any
    ? await time(() => client.query(m.MATCH_SQL, m.matchParams(ids)).then((r) => r.rows[0] as MatchRow))
    : [empty, 0];
  const matchMs = checkMs + statementMs;
  let [confirmMs, eventsMs, jsMs, exactConfirmed] = [0, 0, 0, 0];
  let more = { events: 0, search_events: 0, deliveries: [] as string[] };
  if (main.unconfirmed.length > 0) {
    const t0 = performance.now();
    const queries = m.confirmQueries(m.candidateSearches(main.unconfirmed));
    jsMs += performance.now() - t0;
    const pairs: unknown[] = [];
    for (const q of queries) {
      const [res, ms] = await time(() => client.query(q.text, q.values));
      confirmMs += ms;
      for (const r of res.rows as Array<{ i: number; property_id: string }>) {
        const { query: _query, ...pair } = (q.searches[r.i] as { pair: Record<string, unknown> }).pair;
        pairs.push({ ...pair, property_id: r.property_id });
      }
    }
    exactConfirmed = pairs.length;
    if (pairs.length > 0) {
      const params = m.matchParams([]);
      [more, eventsMs] = await time(() =>
        client.query(m.EVENTS_SQL, [JSON.stringify(pairs), ...params.slice(1)]).then((r) => r.rows[0] as typeof more),
      );
    }
  }
  // For attribution only (not database time of matching): the candidate lookup of the same batch alone,
  // run again after it (so on warm pages); the matching statement less this is its events part.
  const [, lookupMs] = await time(() => client.query(m.CANDIDATES_SQL, [ids]));
  return {
    t: { db: matchMs + confirmMs + eventsMs, match: matchMs, confirm: confirmMs, events: eventsMs, js: jsMs, lookup: lookupMs },
    n: {
      candidates: main.candidates,
      decided: main.decided,
      unconfirmed: main.unconfirmed.length,
      exactConfirmed,
      eventRows: main.events + more.events,
      searchEvents: main.search_events + more.search_events,
      deliveries: main.deliveries.length + more.deliveries.length,
    },
  };
}

async function batch(client: pg.Client, m: Matcher, o: MatchingOptions, all: string[], kind: Kind): Promise<Batch> {
  const ids = await write(client, kind, o, all);
  return { kind, ...(await match(client, m, ids)) };
}

/** EXPLAIN (ANALYZE, BUFFERS) of the matching statement for one batch of each kind, rolled back. */
async function explain(client: pg.Client, m: Matcher, o: MatchingOptions, all: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const kind of ["price_drop", "new_property"] as const) {
    const ids = await write(client, kind, o, all);
    await client.query("BEGIN");
    try {
      const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${m.MATCH_SQL}`, m.matchParams(ids));
      out.push(`### ${kind === "price_drop" ? "Price drops" : "New properties"}: the matching statement`, "", "```");
      out.push(...rows.map((r: Record<string, string>) => r["QUERY PLAN"] as string), "```", "");
    } finally {
      await client.query("ROLLBACK");
    }
  }
  return out;
}

export async function runMatchingBench(databaseUrl: string, o: MatchingOptions, log: (s: string) => void): Promise<void> {
  const m = await bundleForNode<Matcher>(
    `export * from "./workers/src/pkg/saved-searches/match.ts"; export * from "./workers/src/pkg/saved-searches/predicates.ts"; export * from "./workers/src/pkg/saved-searches/query.ts";`,
    "matching",
  );
  const client = new pg.Client(databaseUrl);
  await client.connect();
  try {
    const places = await seedProperties(client, o, log);
    const all = (await client.query<{ id: string }>("SELECT id FROM properties WHERE primary_source = 'bench'")).rows.map(
      (r) => r.id,
    );
    const machine = await machineFacts(client);
    log("no saved searches: 20 batches");
    const idle: Batch[] = [];
    for (let i = 0; i < 20; i++) idle.push(await batch(client, m, o, all, i % 2 ? "new_property" : "price_drop"));
    await seedSearches(client, m, o, places, log);
    log("warming up (6 batches)");
    for (let i = 0; i < 6; i++) await batch(client, m, o, all, i % 2 ? "new_property" : "price_drop");
    log(`measuring ${o.batches} batches of each kind, ${o.batchSize} properties each, alternated`);
    const runs: Batch[] = [];
    for (let i = 0; i < 2 * o.batches; i++) runs.push(await batch(client, m, o, all, i % 2 ? "new_property" : "price_drop"));
    const plans = await explain(client, m, o, all);
    const loadAtEnd = os.loadavg();

    const summary = (rs: Batch[]) => {
      const pick = (k: keyof BatchTiming): Latency => summarise(rs.map((r) => r.t[k]));
      const mean = (k: keyof BatchCounts) => Math.round(rs.reduce((a, r) => a + r.n[k], 0) / rs.length);
      return {
        databaseMs: pick("db"),
        steps: {
          match: pick("match"),
          confirm: pick("confirm"),
          events: pick("events"),
          javascript: pick("js"),
          candidateLookupAlone: pick("lookup"),
        },
        perBatch: {
          candidates: mean("candidates"),
          decidedOnRows: mean("decided"),
          unconfirmed: mean("unconfirmed"),
          confirmedByFilter: mean("exactConfirmed"),
          eventRows: mean("eventRows"),
          searchEvents: mean("searchEvents"),
          deliveries: mean("deliveries"),
        },
      };
    };
    const priceDrops = summary(runs.filter((r) => r.kind === "price_drop"));
    const newProperties = summary(runs.filter((r) => r.kind === "new_property"));
    const both = summary(runs);
    const noSearches = summary(idle);
    const result = { options: o, machine, loadAverageAtEnd: loadAtEnd, all: both, priceDrops, newProperties, noSearches };
    const f = (l: Latency) => `${l.p50.toFixed(1)} | ${l.p95.toFixed(1)} | ${l.max.toFixed(1)}`;
    const table = (title: string, r: ReturnType<typeof summary>) => [
      `| ${title} | p50 ms | p95 ms | max ms |`,
      "| --- | ---: | ---: | ---: |",
      `| **database time (all statements)** | ${f(r.databaseMs)} |`,
      `| matching statement (candidates, decisions on the rows, events, deliveries), after a check that any search exists | ${f(r.steps.match)} |`,
      `| confirming statements, one per filter shape (searches the rows cannot decide) | ${f(r.steps.confirm)} |`,
      `| events statement of the confirmed ones | ${f(r.steps.events)} |`,
      `| JavaScript between them (not database time) | ${f(r.steps.javascript)} |`,
      `| *for attribution: the candidate lookup alone, run again after (warm; not in the total)* | ${f(r.steps.candidateLookupAlone)} |`,
      "",
      `Per batch on average: ${r.perBatch.candidates} candidate (search, property) pairs, ${r.perBatch.decidedOnRows} decided on the predicate rows, ${r.perBatch.unconfirmed} sent to the exact filters (${r.perBatch.confirmedByFilter} confirmed); ${r.perBatch.eventRows} event rows naming ${r.perBatch.searchEvents} (search, event) pairs; ${r.perBatch.deliveries} webhook deliveries.`,
      "",
    ];
    const md = [
      "# Saved-search matching",
      "",
      `\`npm run bench -- --only matching --size ${o.properties} --searches ${o.searches}\` on ${machine.date} (${machine.cpus} × ${machine.cpuModel}, Postgres ${machine.postgres}, PostGIS ${machine.postgis}; load average at the start ${machine.loadAverageAtStart.map((l) => l.toFixed(1)).join(", ")}, at the end ${loadAtEnd.map((l) => l.toFixed(1)).join(", ")}: other work on the same cores shows in every figure).`,
      "",
      `${o.searches.toLocaleString("en")} saved searches (each with a price band of 100–250k, 60 % a property type, 70 % a bedroom minimum; 55 % in a locality, 28 % within a 1–10 km radius, 12 % in a viewport, 4 % a whole country with a 20k price band, 1 % anywhere with a 5k band; 2 % of the locality and radius ones also a feature, which the exact filter confirms; 1 % with a webhook) over ${o.properties.toLocaleString("en")} properties in ${CITIES} localities of 3 countries, prices 150k–1.05M. Two kinds of batch alternate: ${o.batchSize} random properties get a price drop of 5,000, or ${o.batchSize} new properties are listed (each written untimed); then the matcher's statements run on one direct connection (timed, ${o.batches} batches of each kind after 6 warm-up ones).`,
      "",
      ...table("both kinds, per batch of 500", both),
      ...table("price drops", priceDrops),
      ...table("new properties", newProperties),
      ...table(`no saved searches (20 batches before they were saved)`, noSearches),
      "## Plans",
      "",
      ...plans,
    ].join("\n");
    mkdirSync(o.out, { recursive: true });
    writeFileSync(join(o.out, "matching.md"), md);
    writeFileSync(join(o.out, "matching.json"), `${JSON.stringify(result, null, 2)}\n`);
    log(
      `database time p50 ${both.databaseMs.p50.toFixed(1)} ms, p95 ${both.databaseMs.p95.toFixed(1)} ms (price drops p95 ${priceDrops.databaseMs.p95.toFixed(1)}, new properties p95 ${newProperties.databaseMs.p95.toFixed(1)}, no searches p95 ${noSearches.databaseMs.p95.toFixed(1)}) → ${join(o.out, "matching.md")}`,
    );
  } finally {
    await client.end();
  }
}
