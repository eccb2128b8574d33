-- ANALYZE samples 300 rows per unit of a table's largest statistics target: 300,000 rows of
-- `properties` since 0008 set 1,000 on search_tsv and listed_at. It then builds statistics from that
-- sample for every column, including long texts and JSON that no query filters, sorts or groups on:
-- they are only returned, or searched through search_tsv. Leaving them out takes ANALYZE of 1M rows
-- from about 25 s to about 18 s of CPU, which autovacuum spends again after every 10 % of rows changed.
ALTER TABLE "properties" ALTER COLUMN "title" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "properties" ALTER COLUMN "description" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "properties" ALTER COLUMN "street" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "properties" ALTER COLUMN "unit" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "properties" ALTER COLUMN "address_full" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "properties" ALTER COLUMN "attributes" SET STATISTICS 0;
