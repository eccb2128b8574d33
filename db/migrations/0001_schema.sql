CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"role" text NOT NULL,
	"service" text,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "failed_enrichments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"property_id" uuid,
	"queue" text NOT NULL,
	"message" jsonb NOT NULL,
	"reason" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"resolved" boolean DEFAULT false NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "properties" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"address_hash" text,
	"primary_source" text NOT NULL,
	"quality_score" real DEFAULT 0 NOT NULL,
	"missing_fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"property_type" text DEFAULT 'other' NOT NULL,
	"property_subtype" text,
	"listing_type" text DEFAULT 'sale' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"title" text,
	"description" text,
	"street" text,
	"unit" text,
	"city" text,
	"city_key" text GENERATED ALWAYS AS (lower(f_unaccent(city))) STORED,
	"state" text,
	"postal_code" text,
	"country" char(2) NOT NULL,
	"address_full" text,
	"location" geography(Point,4326),
	"location_precision" text,
	"bedrooms" smallint,
	"bathrooms" real,
	"parking_spaces" smallint,
	"area_living_sqm" real,
	"area_land_sqm" real,
	"year_built" smallint,
	"price_minor" bigint,
	"currency" char(3) NOT NULL,
	"price_per_sqm" real GENERATED ALWAYS AS (CASE WHEN area_living_sqm > 0 AND price_minor IS NOT NULL THEN (price_minor / 100.0 / area_living_sqm)::real END) STORED,
	"sold_price_minor" bigint,
	"listed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sold_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"enrichment_queued_at" timestamp with time zone,
	"enriched_at" timestamp with time zone,
	"source_misses" integer DEFAULT 0 NOT NULL,
	"thumbnail_url" text,
	"features" text[] DEFAULT '{}'::text[] NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"search_tsv" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', f_unaccent(coalesce(title,'') || ' ' || coalesce(street,'') || ' ' || coalesce(city,'') || ' ' || coalesce(postal_code,''))), 'A') || setweight(to_tsvector('simple', f_unaccent(left(coalesce(description,''), 2000))), 'B')) STORED
);
--> statement-breakpoint
CREATE TABLE "property_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"property_id" uuid NOT NULL,
	"type" text NOT NULL,
	"old" jsonb,
	"new" jsonb,
	"source" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "property_images" (
	"property_id" uuid NOT NULL,
	"url" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "property_sources" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"property_id" uuid NOT NULL,
	"source" text NOT NULL,
	"source_listing_id" text NOT NULL,
	"source_url" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"payload_hash" text NOT NULL,
	"payload" jsonb
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"family_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text DEFAULT 'user' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_events" ADD CONSTRAINT "property_events_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_images" ADD CONSTRAINT "property_images_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_sources" ADD CONSTRAINT "property_sources_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "failed_enrichments_property_idx" ON "failed_enrichments" USING btree ("property_id");--> statement-breakpoint
CREATE UNIQUE INDEX "properties_address_hash_key" ON "properties" USING btree ("address_hash");--> statement-breakpoint
CREATE INDEX "properties_location_gix" ON "properties" USING gist ("location");--> statement-breakpoint
CREATE INDEX "properties_location_geom_gix" ON "properties" USING gist (("location"::geometry));--> statement-breakpoint
CREATE INDEX "properties_status_listed_idx" ON "properties" USING btree ("status","listed_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "properties_price_id_idx" ON "properties" USING btree ("price_minor","id");--> statement-breakpoint
CREATE INDEX "properties_city_status_price_idx" ON "properties" USING btree ("city_key","status","price_minor","id");--> statement-breakpoint
CREATE INDEX "properties_search_gin" ON "properties" USING gin ("search_tsv");--> statement-breakpoint
CREATE INDEX "properties_features_gin" ON "properties" USING gin ("features");--> statement-breakpoint
CREATE INDEX "properties_stats_idx" ON "properties" USING btree ("country","status","listing_type","city_key");--> statement-breakpoint
CREATE INDEX "properties_enrichment_idx" ON "properties" USING btree ("status","enrichment_queued_at");--> statement-breakpoint
CREATE INDEX "property_events_property_at_idx" ON "property_events" USING btree ("property_id","at");--> statement-breakpoint
CREATE INDEX "property_events_type_at_idx" ON "property_events" USING btree ("type","at");--> statement-breakpoint
CREATE UNIQUE INDEX "property_images_property_url_key" ON "property_images" USING btree ("property_id","url");--> statement-breakpoint
CREATE UNIQUE INDEX "property_sources_source_listing_key" ON "property_sources" USING btree ("source","source_listing_id");--> statement-breakpoint
CREATE INDEX "property_sources_property_idx" ON "property_sources" USING btree ("property_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refresh_tokens_hash_key" ON "refresh_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "refresh_tokens_family_idx" ON "refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));