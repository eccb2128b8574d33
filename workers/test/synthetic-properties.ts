/**
 * A synthetic properties table for plan checks: `n` rows generated in SQL (generate_series), shaped
 * like the reference mix (docs/query-design.md "Reference data set") where it matters to the planner: a few dense cities and a
 * long tail, 3% ungeocoded rows without bedrooms (the GB pattern, P9), ~2% without price, common and
 * middle-frequency and rare words in descriptions (P6), three years of listing dates. No imports: also usable from Node.
 */

const WORDS = [
  "well",
  "bright",
  "garden",
  "kitchen",
  "renovated",
  "quiet",
  "spacious",
  "modern",
  "views",
  "close",
  "schools",
  "transport",
  "family",
  "home",
  "light",
  "open",
  "plan",
  "living",
  "deck",
  "garage",
  "storage",
  "heating",
  "cosy",
  "character",
  "original",
  "timber",
  "floors",
  "sunny",
  "north",
  "facing",
];

/** The cities: index 0 is by far the densest (≈25% of rows), like Seattle in the floor data. */
export const SYNTHETIC_CITIES = 60;

export function cityCentre(c: number): { lat: number; lng: number } {
  return { lat: 30 + (c % 10) * 2, lng: -120 + Math.floor(c / 10) * 3 };
}

export function syntheticPropertiesSql(table: string, n: number): string {
  const words = `ARRAY[${WORDS.map((w) => `'${w}'`).join(",")}]`;
  return `
INSERT INTO ${table} (primary_source, property_type, listing_type, status, title, description, street, city, state,
  postal_code, country, location, bedrooms, bathrooms, area_living_sqm, year_built, price_minor, currency,
  listed_at, updated_at, features)
SELECT 'synthetic',
  (ARRAY['house','apartment','townhouse','land'])[1 + (g.i % 4)],
  CASE WHEN g.i % 10 = 3 THEN 'rent' ELSE 'sale' END,
  (ARRAY['active','active','active','active','active','active','sold','sold','under_offer','withdrawn'])[1 + (g.i * 7) % 10],
  'Home ' || g.i,
  -- Descriptions: word picks by hash (cheap), "well" in half the rows, "often<n>" in 1 row of 85, a rare
  -- word in 1 row of 5,000.
  CASE WHEN g.i % 2 = 0 THEN 'well ' ELSE '' END ||
  (SELECT string_agg((${words})[1 + (hashint4(g.i * 31 + k) & 2147483647) % ${WORDS.length}] || (k % 7), ' ')
     FROM generate_series(1, 6) k) ||
   ' often' || (g.i % 85) || ' rare' || (g.i % 5000) || ' street' || (g.i % 700),
  (g.i % 900) || ' Main Street',
  CASE WHEN g.gb THEN 'Newcastle' ELSE 'City ' || g.c END,
  CASE WHEN g.gb THEN NULL ELSE 'ST' END,
  CASE WHEN g.gb THEN 'NE' || (g.i % 30) ELSE lpad((10000 + g.c * 10 + g.i % 10)::text, 5, '0') END,
  CASE WHEN g.gb THEN 'GB' ELSE 'US' END,
  CASE WHEN g.gb THEN NULL ELSE ST_SetSRID(ST_MakePoint(
    -120 + floor(g.c / 10) * 3 + (random() - 0.5) * 0.25,
    30 + (g.c % 10) * 2 + (random() - 0.5) * 0.2), 4326)::geography END,
  CASE WHEN g.gb THEN NULL ELSE 1 + (g.i % 5) END,
  CASE WHEN g.gb THEN NULL ELSE 1 + (g.i % 3) END,
  40 + random() * 200,
  1900 + (g.i % 120),
  CASE WHEN g.i % 50 = 7 THEN NULL ELSE (exp(ln(150000) + random() * 2.5) * 100)::bigint END,
  CASE WHEN g.gb THEN 'GBP' ELSE 'USD' END,
  g.listed,
  g.listed + random() * interval '60 days',
  CASE WHEN g.i % 4 = 0 THEN ARRAY['garage'] WHEN g.i % 4 = 1 THEN ARRAY['garage','pool'] ELSE '{}' END
FROM (
  SELECT i, (i % 100) < 3 AS gb, floor(${SYNTHETIC_CITIES} * power(random(), 3))::int AS c,
         now() - random() * interval '3 years' AS listed
    FROM generate_series(1, ${n}) i
) g`;
}
