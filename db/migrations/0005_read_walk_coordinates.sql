ALTER TABLE "properties" ADD COLUMN "lng" double precision GENERATED ALWAYS AS (ST_X(location::geometry)) STORED;--> statement-breakpoint
ALTER TABLE "properties" ADD COLUMN "lat" double precision GENERATED ALWAYS AS (ST_Y(location::geometry)) STORED;--> statement-breakpoint
-- The newest-first sort indexes carry the coordinates, so a map viewport sorted newest first walks
-- them index-only and tests the area on the index tuple with two float comparisons (a geometry test
-- per row costs about 2 µs; see workers/src/pkg/search/query.ts, "bounded walk, then a fence";
-- docs/query-design.md "P5"). drizzle-kit cannot express INCLUDE; the keys stay as db/schema.ts declares them.
DROP INDEX IF EXISTS "properties_status_listed_idx";--> statement-breakpoint
CREATE INDEX "properties_status_listed_idx" ON "properties" USING btree ("status","listed_at" DESC NULLS LAST,"id" DESC NULLS LAST) INCLUDE ("lng","lat");--> statement-breakpoint
DROP INDEX IF EXISTS "properties_status_updated_idx";--> statement-breakpoint
CREATE INDEX "properties_status_updated_idx" ON "properties" USING btree ("status","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) INCLUDE ("lng","lat");
--> statement-breakpoint
-- A grid of cells 0.025° on a side (about 2.8 km north-south) over lon/lat. A viewport that the
-- newest-first walk finds sparse is fetched through this index by the cells it covers: index-only,
-- the area tested on the tuple's coordinates, sorted by date. Without it, that fallback reads every
-- row of the area from the heap through the GiST index (about 3 µs a row, docs/query-design.md "P5").
CREATE FUNCTION geo_cell(lng double precision, lat double precision) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN floor((lat + 90) / 0.025)::integer * 14400 + floor((lng + 180) / 0.025)::integer;--> statement-breakpoint
CREATE INDEX "properties_status_cell_listed_idx" ON "properties" USING btree
  ("status", geo_cell("lng", "lat"), "listed_at" DESC NULLS LAST, "id" DESC NULLS LAST) INCLUDE ("lng", "lat");
