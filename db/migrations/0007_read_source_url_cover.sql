-- Every search page shows each row's primary-source URL: the latest `source_url` of the property's
-- rows from its primary source. Covering that lookup makes it one index-only probe per row instead
-- of an index scan, a heap visit and a sort (about 60 µs a row, 6 ms for a 100-row page at 1M rows).
-- The old index on property_id alone is its prefix (foreign-key cascades, the detail view's sources).
-- drizzle-kit cannot express INCLUDE; the keys stay as db/schema.ts declares them.
DROP INDEX "property_sources_property_idx";--> statement-breakpoint
CREATE INDEX "property_sources_property_source_seen_idx" ON "property_sources" USING btree ("property_id","source","last_seen_at" DESC NULLS LAST) INCLUDE ("source_url");
