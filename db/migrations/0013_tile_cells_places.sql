-- Map tiles (workers/src/pkg/search/tiles.ts): the geo_cell index of migration 0005 also carries
-- what a cluster tile reads (price, currency, listing and property type, location precision), so a
-- tile below the cluster zoom is aggregated from an index-only scan over the cells it covers instead
-- of one heap visit per property (docs/benchmarks.md "Map tiles"). Key columns and order unchanged:
-- the newest-first viewport walk reads it as before.
DROP INDEX IF EXISTS "properties_status_cell_listed_idx";--> statement-breakpoint
CREATE INDEX "properties_status_cell_listed_idx" ON "properties" USING btree
  ("status", geo_cell("lng", "lat"), "listed_at" DESC NULLS LAST, "id" DESC NULLS LAST)
  INCLUDE ("lng", "lat", "price_minor", "currency", "listing_type", "property_type", "location_precision");--> statement-breakpoint
-- The place box (GET /api/v1/places, workers/src/pkg/places/): localities, postcodes and regions from
-- the gazetteer and from the stored properties, with how many properties each holds, its centre, a
-- bounding box and the search filter it maps to. Refreshed with the stats rollup (every 10 minutes).
--
-- The properties are read once, grouped by country, locality, state and postcode; localities,
-- postcodes and states are sums of those groups. A locality of the data (country, city, state) is
-- attached to the gazetteer locality of the same name in its country whose region matches its state,
-- else the nearest; one not in the gazetteer stands alone. A place's box spans its gazetteer entries
-- and the centres of its groups (one mislocated listing does not stretch it), at least about 2 km.
CREATE MATERIALIZED VIEW "places" AS
WITH property_groups AS (
  SELECT p.country, p.city_key AS key, coalesce(lower(p.state), '') AS state_key,
         gazetteer_postcode_key(p.country, p.postal_code) AS code,
         min(p.city) AS city, min(p.state) AS state, count(*)::int AS n,
         avg(p.lng) AS lng, avg(p.lat) AS lat, count(p.lng)::int AS located,
         bool_and(upper(p.postal_code) = gazetteer_postcode_key(p.country, p.postal_code)) AS exact
    FROM properties p
   GROUP BY 1, 2, 3, 4
), data_localities AS (
  SELECT g.country, g.key, min(g.city) AS name, g.state_key, min(g.state) AS state, sum(g.n)::int AS n,
         sum(g.lng * g.located) / nullif(sum(g.located), 0) AS lng, sum(g.lat * g.located) / nullif(sum(g.located), 0) AS lat,
         min(g.lng) AS west, max(g.lng) AS east, min(g.lat) AS south, max(g.lat) AS north
    FROM property_groups g
   WHERE g.key <> ''
   GROUP BY g.country, g.key, g.state_key
), gazetteer_localities AS (
  SELECT g.country, g.locality_key AS key, min(g.locality) AS name,
         coalesce(g.region, '') AS region, coalesce(min(g.region_code), '') AS region_code,
         avg(g.lng) AS lng, avg(g.lat) AS lat, min(g.lng) AS west, max(g.lng) AS east, min(g.lat) AS south, max(g.lat) AS north
    FROM gazetteer_places g
   GROUP BY g.country, g.locality_key, coalesce(g.region, '')
), attached AS (
  SELECT DISTINCT ON (d.country, d.key, d.state_key) d.*, g.region AS g_region
    FROM data_localities d
    JOIN gazetteer_localities g ON g.country = d.country AND g.key = d.key
   ORDER BY d.country, d.key, d.state_key, (d.state_key IN (lower(g.region), lower(g.region_code))) DESC,
            (g.lng - d.lng) ^ 2 + (g.lat - d.lat) ^ 2 NULLS LAST, g.region
), localities AS (
  SELECT g.country, g.name, nullif(g.region, '') AS region, nullif(g.region_code, '') AS region_code,
         coalesce(sum(a.n), 0)::int AS n,
         coalesce(sum(a.n * a.lng) / nullif(sum(a.n) FILTER (WHERE a.lng IS NOT NULL), 0), g.lng) AS lng,
         coalesce(sum(a.n * a.lat) / nullif(sum(a.n) FILTER (WHERE a.lat IS NOT NULL), 0), g.lat) AS lat,
         least(g.west, min(a.west)) AS west, greatest(g.east, max(a.east)) AS east,
         least(g.south, min(a.south)) AS south, greatest(g.north, max(a.north)) AS north,
         jsonb_strip_nulls(jsonb_build_object('city', g.name, 'country', g.country,
           'state', CASE WHEN count(a.*) > 0 AND bool_and(a.state_key <> '') THEN string_agg(DISTINCT a.state, ',') END)) AS filter
    FROM gazetteer_localities g
    LEFT JOIN attached a ON a.country = g.country AND a.key = g.key AND a.g_region = g.region
   GROUP BY g.country, g.key, g.name, g.region, g.region_code, g.lng, g.lat, g.west, g.east, g.south, g.north
  UNION ALL
  SELECT d.country, d.name, d.state, NULL, d.n, d.lng, d.lat, d.west, d.east, d.south, d.north,
         jsonb_strip_nulls(jsonb_build_object('city', d.name, 'country', d.country, 'state', d.state))
    FROM data_localities d
   WHERE NOT EXISTS (SELECT 1 FROM gazetteer_localities g WHERE g.country = d.country AND g.key = d.key)
), data_postcodes AS (
  SELECT g.country, g.code, sum(g.n)::int AS n, bool_and(g.exact) AS exact,
         min(g.city) AS locality, min(g.state) AS region,
         sum(g.lng * g.located) / nullif(sum(g.located), 0) AS lng, sum(g.lat * g.located) / nullif(sum(g.located), 0) AS lat,
         min(g.lng) AS west, max(g.lng) AS east, min(g.lat) AS south, max(g.lat) AS north
    FROM property_groups g
   WHERE g.code IS NOT NULL
   GROUP BY g.country, g.code
), gazetteer_postcodes AS (
  SELECT g.country, g.postal_code AS code, min(g.locality) AS locality,
         min(g.region) AS region, min(g.region_code) AS region_code,
         avg(g.lng) AS lng, avg(g.lat) AS lat, min(g.lng) AS west, max(g.lng) AS east, min(g.lat) AS south, max(g.lat) AS north
    FROM gazetteer_places g
   WHERE g.postal_code IS NOT NULL
   GROUP BY g.country, g.postal_code
), postcodes AS (
  -- A postcode filter is exact only when the properties write the code as the gazetteer keys it (a
  -- GB district such as NE1 holds full codes such as NE1 4AB): otherwise the place maps to its box.
  SELECT coalesce(g.country, d.country) AS country, coalesce(g.code, d.code) AS code,
         coalesce(g.locality, d.locality) AS locality, coalesce(g.region, d.region) AS region, g.region_code,
         coalesce(d.n, 0) AS n, coalesce(d.lng, g.lng) AS lng, coalesce(d.lat, g.lat) AS lat,
         least(g.west, d.west) AS west, greatest(g.east, d.east) AS east, least(g.south, d.south) AS south, greatest(g.north, d.north) AS north,
         coalesce(d.exact, true) AS exact
    FROM gazetteer_postcodes g
    FULL JOIN data_postcodes d ON d.country = g.country AND d.code = g.code
), data_states AS (
  SELECT g.country, g.state_key AS key, min(g.state) AS state, sum(g.n)::int AS n,
         sum(g.lng * g.located) / nullif(sum(g.located), 0) AS lng, sum(g.lat * g.located) / nullif(sum(g.located), 0) AS lat,
         min(g.lng) AS west, max(g.lng) AS east, min(g.lat) AS south, max(g.lat) AS north
    FROM property_groups g
   WHERE g.state_key <> ''
   GROUP BY g.country, g.state_key
), gazetteer_regions AS (
  SELECT g.country, g.region AS name, min(g.region_code) AS code, avg(g.lng) AS lng, avg(g.lat) AS lat,
         min(g.lng) AS west, max(g.lng) AS east, min(g.lat) AS south, max(g.lat) AS north
    FROM gazetteer_places g
   WHERE g.region <> ''
   GROUP BY g.country, g.region
), regions AS (
  SELECT g.country, g.name, g.code, coalesce(sum(d.n), 0)::int AS n,
         coalesce(sum(d.n * d.lng) / nullif(sum(d.n) FILTER (WHERE d.lng IS NOT NULL), 0), g.lng) AS lng,
         coalesce(sum(d.n * d.lat) / nullif(sum(d.n) FILTER (WHERE d.lat IS NOT NULL), 0), g.lat) AS lat,
         least(g.west, min(d.west)) AS west, greatest(g.east, max(d.east)) AS east,
         least(g.south, min(d.south)) AS south, greatest(g.north, max(d.north)) AS north,
         coalesce(string_agg(DISTINCT d.state, ','), g.name) AS states
    FROM gazetteer_regions g
    LEFT JOIN data_states d ON d.country = g.country AND d.key IN (lower(g.name), lower(g.code))
   GROUP BY g.country, g.name, g.code, g.lng, g.lat, g.west, g.east, g.south, g.north
  UNION ALL
  SELECT d.country, d.state, NULL, d.n, d.lng, d.lat, d.west, d.east, d.south, d.north, d.state
    FROM data_states d
   WHERE NOT EXISTS (SELECT 1 FROM gazetteer_regions g WHERE g.country = d.country AND d.key IN (lower(g.name), lower(g.code)))
), everything AS (
  SELECT 'locality' AS kind, l.country, l.name, l.region, l.region_code, l.n, l.lng, l.lat, l.west, l.east, l.south, l.north,
         l.filter, concat_ws(', ', l.name, coalesce(l.region_code, l.region), l.country) AS label,
         concat_ws(' ', l.name, l.region_code, l.region) AS words
    FROM localities l
  UNION ALL
  SELECT 'postcode', c.country, c.code, c.region, c.region_code, c.n, c.lng, c.lat, c.west, c.east, c.south, c.north,
         CASE WHEN c.exact THEN jsonb_build_object('postal_code', c.code, 'country', c.country) END,
         concat_ws(', ', c.code || coalesce(' ' || c.locality, ''), coalesce(c.region_code, c.region), c.country),
         concat_ws(' ', c.code, c.locality, c.region_code, c.region)
    FROM postcodes c
  UNION ALL
  SELECT 'region', r.country, r.name, r.name, r.code, r.n, r.lng, r.lat, r.west, r.east, r.south, r.north,
         jsonb_build_object('state', r.states, 'country', r.country),
         concat_ws(', ', r.name, r.country), concat_ws(' ', r.name, r.code)
    FROM regions r
)
-- The key is stable from one refresh to the next (a concurrent refresh rewrites only what changed):
-- kind, country, name and region identify a place (a gazetteer locality is one per name and region).
SELECT concat_ws(':', e.kind, e.country, e.name, e.region) AS id,
       e.kind, e.country, e.name, e.region, e.region_code, e.label, e.n AS property_count,
       e.lng, e.lat,
       least(e.west, e.lng - 0.01) AS west, greatest(e.east, e.lng + 0.01) AS east,
       least(e.south, e.lat - 0.01) AS south, greatest(e.north, e.lat + 0.01) AS north,
       e.filter,
       lower(f_unaccent(e.name)) AS name_key,
       lower(f_unaccent(e.words)) AS search_key
  FROM everything e
 WHERE e.lng IS NOT NULL AND e.lat IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "places_id_key" ON "places" ("id");--> statement-breakpoint
CREATE INDEX "places_search_trgm" ON "places" USING gin ("search_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "places_name_prefix_idx" ON "places" ("name_key" text_pattern_ops, "property_count" DESC);
