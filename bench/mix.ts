/**
 * The read mix: each benchmark query as the API request a client would send, with request
 * parameters drawn from the loaded data as docs/query-design.md "Measurement method" describes: real cities with
 * price ranges between their p10 and p50, real coordinates jittered ±1 km, suburb and street words
 * as search terms, uniform ids. Includes the planner traps of docs/query-design.md.
 */
import type pg from "pg";
import { benchUuid } from "./generator.ts";
import { type Rng, rngFor } from "./random.ts";

export type City = { city: string; n: number; p10: number; p50: number; noBedrooms: boolean; country: string };

export type MixParams = {
  cities: City[];
  /** The biggest cities with bedroom counts (the floor's "15 top cities"). */
  topCities: City[];
  /** A big city whose listings carry no bedroom counts (Newcastle PPD rows, docs/query-design.md "P9"). */
  nullBedroomCity: City | null;
  points: Array<{ lat: number; lng: number }>;
  rareTerms: string[];
  commonTerms: string[];
  countries: string[];
  size: number;
  seed: number;
};

export type QuerySpec = {
  name: string;
  title: string;
  /** Which reference query or planner trap of docs/query-design.md it corresponds to. */
  floorRef: string;
  /** The request path for one request. */
  path: (rng: Rng) => string;
  /** Walks pages by cursor: each connection follows `next_cursor` this many pages, then starts over. */
  cursorPages?: number;
  /** An indexed filter: its plan must not sequentially scan `properties`. */
  indexed: boolean;
  /** A planner trap of docs/query-design.md (target: p99 ≤ 20 ms). */
  trap?: string;
};

// Country-scale viewports (the generated data covers these regions).
const COUNTRY_BOXES: Record<string, [number, number, number, number]> = {
  US: [-125, 24, -66, 50],
  AU: [112, -44, 154, -10],
  NZ: [166, -47.5, 179, -34],
};

// Dense urban centres for the "dense viewport, newest first" trap (docs/query-design.md "P5").
const DENSE_CENTRES = [
  { lat: 47.608, lng: -122.335 }, // Seattle downtown
  { lat: 47.61, lng: -122.2015 }, // Bellevue
  { lat: -37.8136, lng: 144.9631 }, // Melbourne CBD
  { lat: -37.8183, lng: 144.9981 }, // Richmond VIC
  { lat: -41.2865, lng: 174.7762 }, // Wellington
];

const COMMON_TERMS = ["garden", "kitchen", "quiet", "schools", "sunny", "timber", "garage", "bathroom", "views"];

function round(x: number, digits = 5): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function box(lat: number, lng: number, halfKm: number): string {
  const dLat = halfKm / 111.32;
  const dLng = halfKm / (111.32 * Math.cos((lat * Math.PI) / 180));
  return [lng - dLng, lat - dLat, lng + dLng, lat + dLat].map((v) => round(v)).join(",");
}

function jitterKm(rng: Rng, p: { lat: number; lng: number }, km: number) {
  return {
    lat: round(p.lat + rng.between(-km, km) / 111.32),
    lng: round(p.lng + rng.between(-km, km) / (111.32 * Math.cos((p.lat * Math.PI) / 180))),
  };
}

/** A price range inside one city's market: lo between its p10 and p50, hi = lo × U(1.5, 3) (major units). */
function priceRange(rng: Rng, c: City): string {
  const lo = Math.round(rng.between(c.p10, c.p50));
  const hi = Math.round(lo * rng.between(1.5, 3));
  return `min_price=${lo}&max_price=${hi}`;
}

const enc = encodeURIComponent;

/** The Web Mercator tile holding a point. */
export function tileAt(lat: number, lng: number, z: number): string {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  const x = Math.floor(((lng + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return `${z}/${x}/${y}`;
}

/**
 * Map tiles of the densest city (Seattle) at a zoom: z5 holds the whole city (clusters), z10 most of
 * it (clusters), z14 a few streets (one feature per property). A random `min_price` below any real
 * price makes each request a distinct query with the same answer.
 */
function tileSpec(z: number, jitter: number): QuerySpec {
  return {
    name: `tile_z${z}`,
    title: `vector tile z${z}, densest city (${z > 13 ? "one feature per property" : "grid clusters"})`,
    floorRef: "tiles",
    indexed: true,
    path: (rng) => {
      const pt = jitterKm(rng, DENSE_CENTRES[0] ?? { lat: 47.608, lng: -122.335 }, jitter);
      return `/api/v1/tiles/${tileAt(pt.lat, pt.lng, z)}.mvt?min_price=${rng.int(0, 999)}`;
    },
  };
}

export function buildMix(p: MixParams): QuerySpec[] {
  const specs: QuerySpec[] = [
    {
      name: "list_filtered",
      title: "filtered list: city + price + ≥2 beds, sorted by price",
      floorRef: "a",
      indexed: true,
      path: (rng) => {
        const c = rng.pick(p.cities);
        return `/api/v1/properties?city=${enc(c.city)}&${priceRange(rng, c)}&min_bedrooms=2&sort=price`;
      },
    },
    {
      name: "radius_5km",
      title: "radius 5 km, sorted by distance",
      floorRef: "b2",
      indexed: true,
      path: (rng) => {
        const pt = jitterKm(rng, rng.pick(p.points), 1);
        return `/api/v1/properties?near=${pt.lat},${pt.lng}&radius_km=5&sort=distance`;
      },
    },
    {
      name: "bbox_city",
      title: "bbox ~10 km (map viewport, default sort)",
      floorRef: "c2",
      indexed: true,
      trap: "P4 viewport on geometry, not geography",
      path: (rng) => {
        const pt = jitterKm(rng, rng.pick(p.points), 1);
        return `/api/v1/properties?bbox=${box(pt.lat, pt.lng, 5)}&limit=100`;
      },
    },
    {
      name: "bbox_country",
      title: "bbox, whole country (default sort)",
      floorRef: "c4/c5",
      indexed: true,
      path: (rng) => {
        const [w, s, e, n] = COUNTRY_BOXES[rng.pick(Object.keys(COUNTRY_BOXES))] ?? [0, 0, 1, 1];
        // A few metres of jitter keep every request a distinct (uncached) query with the same plan.
        const j = () => round(rng.between(0, 0.001));
        return `/api/v1/properties?bbox=${round(w - j())},${round(s - j())},${round(e + j())},${round(n + j())}&limit=100`;
      },
    },
    {
      name: "text",
      title: "full-text query (suburb and street words)",
      floorRef: "d1/d2",
      indexed: true,
      path: (rng) => `/api/v1/properties?q=${enc(rng.pick(p.rareTerms))}`,
    },
    {
      name: "get_by_id",
      title: "get by id",
      floorRef: "e1",
      indexed: true,
      path: (rng) => `/api/v1/properties/${benchUuid(p.seed, rng.int(1, p.size))}`,
    },
    {
      name: "stats_by_city",
      title: "stats grouped by city for one country (2 cores, P11)",
      floorRef: "f",
      indexed: true,
      trap: "P11 stats on 2 cores",
      path: (rng) => `/api/v1/stats?country=${rng.pick(p.countries)}&listing_type=sale&group_by=city`,
    },
    {
      name: "cursor_walk_50",
      title: "cursor walk to page 50 (top city, by price)",
      floorRef: "g1",
      indexed: true,
      cursorPages: 50,
      path: (rng) => `/api/v1/properties?city=${enc(rng.pick(p.topCities).city)}&sort=price&limit=20`,
    },
    {
      name: "trap_fts_newest",
      title: "full text + newest first, rare and common words (P6)",
      floorRef: "d2",
      indexed: true,
      trap: "P6 FTS + newest first",
      path: (rng) =>
        `/api/v1/properties?q=${enc(rng.chance(0.5) ? rng.pick(p.rareTerms) : rng.pick(p.commonTerms))}&sort=-listed_at`,
    },
    {
      name: "trap_dense_viewport",
      title: "dense 2 km viewport, newest first (P5)",
      floorRef: "c3",
      indexed: true,
      trap: "P5 dense viewport + newest first",
      path: (rng) => {
        const pt = jitterKm(rng, rng.pick(DENSE_CENTRES), 0.3);
        return `/api/v1/properties?bbox=${box(pt.lat, pt.lng, 1)}&sort=-listed_at&limit=100`;
      },
    },
  ];
  specs.push(tileSpec(5, 0), tileSpec(10, 3), tileSpec(14, 3));
  specs.push({
    name: "places",
    title: "place box: a city as typed (whole, its first letters, or with a typo)",
    floorRef: "places",
    indexed: true,
    path: (rng) => {
      const city = rng.pick(p.cities).city;
      const cut = rng.int(0, 2);
      // Whole; the first letters (autocomplete); two letters swapped in the middle (a typo).
      const q =
        cut === 0
          ? city
          : cut === 1 || city.length < 6
            ? city.slice(0, Math.max(3, Math.ceil(city.length / 2)))
            : `${city.slice(0, 3)}${city[4]}${city[3]}${city.slice(5)}`;
      return `/api/v1/places?q=${enc(q)}`;
    },
  });
  if (p.nullBedroomCity) {
    const c = p.nullBedroomCity;
    specs.push({
      name: "trap_null_bedrooms",
      title: `min_bedrooms=2 in a city without bedroom counts (${c.city}, P9)`,
      floorRef: "a (Newcastle)",
      indexed: true,
      trap: "P9 NULL bedrooms + min_bedrooms",
      path: (rng) => `/api/v1/properties?city=${enc(c.city)}&${priceRange(rng, c)}&min_bedrooms=2&sort=price`,
    });
  }
  return specs;
}

/** Draws the request parameters from the loaded table (a few seconds at 1M rows). */
export async function sampleMixParams(client: pg.Client, size: number, seed: number): Promise<MixParams> {
  const minRows = Math.max(5, Math.round((100 * size) / 1_000_000));
  const { rows: cities } = await client.query<City>(
    `SELECT min(city) AS city, count(*)::int AS n, min(country) AS country,
            (percentile_cont(0.1) WITHIN GROUP (ORDER BY price_minor) / 100)::float8 AS p10,
            (percentile_cont(0.5) WITHIN GROUP (ORDER BY price_minor) / 100)::float8 AS p50,
            bool_and(bedrooms IS NULL) AS "noBedrooms"
       FROM properties
      WHERE status = 'active' AND listing_type = 'sale' AND price_minor IS NOT NULL AND city_key IS NOT NULL
      GROUP BY city_key HAVING count(*) >= $1
      ORDER BY count(*) DESC`,
    [minRows],
  );
  const withBeds = cities.filter((c) => !c.noBedrooms);
  const { rows: points } = await client.query<{ lat: number; lng: number }>(
    `SELECT ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lng
       FROM properties WHERE location IS NOT NULL ORDER BY md5(id::text || $1) LIMIT 400`,
    [String(seed)],
  );
  // Search words as people type them: suburb names and street-name words (≥ 4 letters).
  const { rows: words } = await client.query<{ w: string }>(
    `SELECT DISTINCT lower(f_unaccent(w)) AS w
       FROM (SELECT regexp_split_to_table(coalesce(city, '') || ' ' || regexp_replace(coalesce(street, ''), '^[0-9]+ ', ''), '\\s+') AS w
               FROM properties TABLESAMPLE SYSTEM (1) REPEATABLE (1)) s
      WHERE w ~ '^[[:alpha:]]{4,}$'`,
  );
  const rng = rngFor(seed, -1);
  const rareTerms = words.map((r) => r.w).sort();
  for (let i = rareTerms.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [rareTerms[i], rareTerms[j]] = [rareTerms[j] as string, rareTerms[i] as string];
  }
  return {
    cities: withBeds,
    topCities: withBeds.slice(0, 15),
    nullBedroomCity: cities.find((c) => c.noBedrooms) ?? null,
    points,
    rareTerms: rareTerms.slice(0, 300),
    commonTerms: COMMON_TERMS,
    countries: ["US", "AU", "NZ", "GB"],
    size,
    seed,
  };
}
