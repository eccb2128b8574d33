ALTER TABLE "properties" ADD COLUMN "lng" double precision GENERATED ALWAYS AS (ST_X(location::geometry)) STORED;--> statement-breakpoint
ALTER TABLE "properties" ADD COLUMN "lat" double precision GENERATED ALWAYS AS (ST_Y(location::geometry)) STORED;--> statement-breakpoint
-- The newest-first sort indexes carry the coordinates, so a map viewport sorted newest first walks
-- them index-only and tests the area on the index tuple with two float comparisons (a geometry test
-- per row costs about 2 µs; see workers/src/pkg/search/query.ts, "bounded walk, then a fence";
-- postgres-floor P5). drizzle-kit cannot express INCLUDE; the keys stay as db/schema.ts declares them.
DROP INDEX IF EXISTS "properties_status_listed_idx";--> statement-breakpoint
CREATE INDEX "properties_status_listed_idx" ON "properties" USING btree ("status","listed_at" DESC NULLS LAST,"id" DESC NULLS LAST) INCLUDE ("lng","lat");--> statement-breakpoint
DROP INDEX IF EXISTS "properties_status_updated_idx";--> statement-breakpoint
CREATE INDEX "properties_status_updated_idx" ON "properties" USING btree ("status","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) INCLUDE ("lng","lat");
