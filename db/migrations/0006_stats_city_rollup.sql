-- Market statistics per city, per country / status / listing type / property type ("*" = all),
-- refreshed by a cron (workers/src/pkg/search/stats-rollup.ts). A country-wide table by city reads
-- hundreds of thousands of rows: 40-120 ms even as an index-only scan on 2 cores (docs/query-design.md
-- "P11"). From this rollup it is one index range. Narrower questions (a city, a price range, …) are
-- computed live, exactly.
CREATE MATERIALIZED VIEW "property_stats_city" AS
SELECT p.country,
       p.status,
       CASE WHEN grouping(p.listing_type) = 0 THEN p.listing_type ELSE '*' END AS listing_type,
       CASE WHEN grouping(p.property_type) = 0 THEN coalesce(p.property_type, '') ELSE '*' END AS property_type,
       coalesce(p.city_key, '') AS city_key,
       min(p.city) AS label,
       p.currency,
       count(*)::int AS count,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.price_minor) AS median_price_minor,
       percentile_cont(0.25) WITHIN GROUP (ORDER BY p.price_minor) AS p25_price_minor,
       percentile_cont(0.75) WITHIN GROUP (ORDER BY p.price_minor) AS p75_price_minor,
       avg(p.price_minor)::float8 AS avg_price_minor,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.price_per_sqm) AS median_price_per_sqm,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM coalesce(p.sold_at, now()) - p.listed_at) / 86400.0)
         AS median_days_on_market,
       count(*) FILTER (WHERE p.listed_at >= now() - interval '30 days')::int AS new_listings,
       count(*) FILTER (WHERE p.id IN (SELECT e.property_id FROM property_events e
         WHERE e.type = 'price_change' AND e.at >= now() - interval '30 days'
           AND coalesce((e.new->>'price_minor')::numeric, (e.new->>'price')::numeric)
             < coalesce((e.old->>'price_minor')::numeric, (e.old->>'price')::numeric)))::int AS price_drops,
       now() AS computed_at
  FROM properties p
 GROUP BY GROUPING SETS (
   (p.country, p.status, p.listing_type, p.property_type, p.city_key, p.currency),
   (p.country, p.status, p.listing_type, p.city_key, p.currency),
   (p.country, p.status, p.property_type, p.city_key, p.currency),
   (p.country, p.status, p.city_key, p.currency));--> statement-breakpoint
-- Unique, so the cron can refresh it CONCURRENTLY (readers never wait); ordered for the read.
CREATE UNIQUE INDEX "property_stats_city_key" ON "property_stats_city"
  ("country", "status", "listing_type", "property_type", "count" DESC, "city_key", "currency");
