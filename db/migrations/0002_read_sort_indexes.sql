DROP INDEX "properties_status_listed_idx";--> statement-breakpoint
DROP INDEX "properties_city_status_price_idx";--> statement-breakpoint
CREATE INDEX "properties_status_updated_idx" ON "properties" USING btree ("status","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "properties_price_per_sqm_id_idx" ON "properties" USING btree ("price_per_sqm","id");--> statement-breakpoint
CREATE INDEX "properties_status_listed_idx" ON "properties" USING btree ("status","listed_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "properties_city_status_price_idx" ON "properties" USING btree ("city_key","status","price_minor","id","bedrooms");