-- The search picks its plan for a full-text query from how many rows each word matches, as ANALYZE
-- records it for `search_tsv` (most_common_elems). At the default statistics target that list ends
-- near 0.5 % of the rows: at 1M rows, every word under ~4,700 matches looked alike, though fetching
-- 4,000 matches costs 10 ms and 300 matches under 1 ms. A target of 1,000 keeps words down to ~0.05 %
-- (about 1,300 of them at 1M rows; ANALYZE samples 300,000 rows instead of 30,000).
ALTER TABLE "properties" ALTER COLUMN "search_tsv" SET STATISTICS 1000;
