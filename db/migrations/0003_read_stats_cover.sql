-- Read-path tuning that drizzle-kit cannot express (see docs/api-search.md "Performance notes").
--
-- 1. Stats are an index-only scan: the covering index carries every column the stats query reads,
--    so it never touches the 1.2 KB heap rows (docs/query-design.md "P11"). Keys stay as drizzle tracks them.
DROP INDEX IF EXISTS "properties_stats_idx";--> statement-breakpoint
CREATE INDEX "properties_stats_idx" ON "properties" USING btree ("country","status","listing_type","city_key")
  INCLUDE ("city","property_type","postal_code","currency","price_minor","price_per_sqm","listed_at","sold_at","id");--> statement-breakpoint
-- 2. No parallel scans of properties: on the 2-core machines (and small Neon computes) a parallel
--    plan was 3x slower than serial for the stats query, and parallel workers page-fault shared
--    memory on start (docs/query-design.md "P11", "P12"). A table setting applies to every query, whoever sends it.
ALTER TABLE "properties" SET (parallel_workers = 0);--> statement-breakpoint
-- 3. JIT compiles cost 80-100 ms per expensive query and pay off only for multi-second analytics;
--    the Mill's queries are all short. Applies to new sessions of this database.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'jit left as configured: not allowed to ALTER DATABASE';
END $$;
