CREATE TABLE "gazetteer_places" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"country" char(2) NOT NULL,
	"postal_code" text,
	"locality" text NOT NULL,
	"locality_key" text GENERATED ALWAYS AS (lower(f_unaccent(locality))) STORED,
	"region" text,
	"region_code" text,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "failed_enrichments" ADD COLUMN "message_id" text;--> statement-breakpoint
CREATE INDEX "gazetteer_places_country_postcode_idx" ON "gazetteer_places" USING btree ("country","postal_code");--> statement-breakpoint
CREATE INDEX "gazetteer_places_country_locality_idx" ON "gazetteer_places" USING btree ("country","locality_key");--> statement-breakpoint
CREATE UNIQUE INDEX "failed_enrichments_queue_message_key" ON "failed_enrichments" USING btree ("queue","message_id");