-- The search picks its plan for a full-text query from how many rows each word matches, as ANALYZE
-- records it for `search_tsv` (most_common_elems). At the default statistics target that list ends
-- near 0.5 % of the rows: at 1M rows, every word under ~4,700 matches looked alike, though fetching
-- 4,000 matches costs 10 ms and 300 matches under 1 ms. A target of 1,000 keeps words down to ~0.05 %
-- (about 1,300 of them at 1M rows; ANALYZE samples 300,000 rows instead of 30,000).
-- The same target for `listed_at` gives a histogram of 1,000 steps (0.1 % of the rows each), from which
-- a newest-first search for a middle-frequency word sizes its window of recent listings.
ALTER TABLE "properties" ALTER COLUMN "search_tsv" SET STATISTICS 1000;--> statement-breakpoint
ALTER TABLE "properties" ALTER COLUMN "listed_at" SET STATISTICS 1000;
--> statement-breakpoint
-- New rows' words wait in the GIN index's pending list until it fills, and every full-text search
-- reads the whole list. At the default 4 MB (about 2,000 new rows), searches for rare words took
-- 5-11 ms instead of 2-5 ms at 1M rows. 512 kB bounds that to well under a millisecond; ingest pays
-- about 5 % more (10,000 rows: 3.3 s instead of 3.15 s; without the list, 5.4 s).
ALTER INDEX "properties_search_gin" SET (gin_pending_list_limit = 512);
