-- Saved searches and alerts (docs/saved-searches.md).
--
-- `saved_searches.webhook_secret` holds the Standard Webhooks signing secret itself (`whsec_…`), not a
-- hash: every delivery is signed with HMAC-SHA256 under it, so the Worker must be able to read it back.
-- Only the delivery consumer reads it; the API shows it once, on creation and on rotation.
CREATE TABLE "saved_searches" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "name" text NOT NULL,
  -- The search as GET /api/v1/properties takes it, normalised (keys sorted, URL-encoded).
  "query" text NOT NULL,
  "events" text[] NOT NULL,
  "webhook_url" text,
  "webhook_secret" text,
  "paused_at" timestamptz,
  -- Set when deliveries kept failing; a PATCH with a webhook_url (or enabled: true) clears it.
  "webhook_disabled_at" timestamptz,
  "webhook_disabled_reason" text,
  "webhook_failures" integer NOT NULL DEFAULT 0,
  -- Events after this are unread (the site's count).
  "read_at" timestamptz NOT NULL DEFAULT now(),
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);--> statement-breakpoint
CREATE INDEX "saved_searches_user_idx" ON "saved_searches" ("user_id", "created_at");--> statement-breakpoint
-- The percolator: each saved search's necessary conditions, keyed so that a changed property finds the
-- few searches it may match through an index instead of testing all of them. One row per anchor value:
-- `geo` (the envelope of its radius, viewport or polygon), else `city` (per city key), else `country`
-- (per country), else `any`. Ranges are checked on the row; the exact search filter confirms after.
CREATE TABLE "saved_search_predicates" (
  "saved_search_id" uuid NOT NULL REFERENCES "saved_searches"("id") ON DELETE CASCADE,
  "anchor" text NOT NULL,
  "country" char(2),
  "city_key" text,
  "area" geometry(Polygon, 4326),
  "min_price_minor" bigint,
  "max_price_minor" bigint,
  "min_bedrooms" smallint,
  "max_bedrooms" smallint
);--> statement-breakpoint
CREATE INDEX "saved_search_predicates_search_idx" ON "saved_search_predicates" ("saved_search_id");--> statement-breakpoint
-- Areas are looked up with their price range in one GiST index (geometry and range types have GiST
-- operator classes of their own), so a property finds only the areas around it that admit its price.
CREATE INDEX "saved_search_predicates_area_gix" ON "saved_search_predicates"
  USING gist ("area", int8range("min_price_minor", "max_price_minor", '[]')) WHERE "anchor" = 'geo';--> statement-breakpoint
CREATE INDEX "saved_search_predicates_city_idx" ON "saved_search_predicates" ("city_key") WHERE "anchor" = 'city';--> statement-breakpoint
-- Searches without a place (a whole country, or anywhere) are looked up by their price range, which nearly
-- all of them have; the country is checked on the index rows found.
CREATE INDEX "saved_search_predicates_price_gix" ON "saved_search_predicates"
  USING gist (int8range("min_price_minor", "max_price_minor", '[]')) WHERE "anchor" IN ('country', 'any');--> statement-breakpoint
-- What a saved search matched. Unique per search, property, kind and change (the property_events row
-- that caused it; 0 for a new match, which happens once per search and property), so matching the same
-- change again, as at-least-once delivery of ingest notifications can, records nothing twice.
CREATE TABLE "saved_search_events" (
  "id" bigserial PRIMARY KEY,
  "saved_search_id" uuid NOT NULL REFERENCES "saved_searches"("id") ON DELETE CASCADE,
  "property_id" uuid NOT NULL REFERENCES "properties"("id") ON DELETE CASCADE,
  "kind" text NOT NULL,
  "change_version" bigint NOT NULL,
  "data" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "created_at" timestamptz NOT NULL DEFAULT now()
);--> statement-breakpoint
CREATE UNIQUE INDEX "saved_search_events_change_key" ON "saved_search_events" ("saved_search_id", "property_id", "kind", "change_version");--> statement-breakpoint
CREATE INDEX "saved_search_events_search_idx" ON "saved_search_events" ("saved_search_id", "id" DESC);--> statement-breakpoint
-- One webhook delivery per event; its id is the `webhook-id` every attempt sends.
CREATE TABLE "webhook_deliveries" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "saved_search_id" uuid NOT NULL REFERENCES "saved_searches"("id") ON DELETE CASCADE,
  "event_id" bigint NOT NULL REFERENCES "saved_search_events"("id") ON DELETE CASCADE,
  -- pending | succeeded | failed
  "status" text NOT NULL DEFAULT 'pending',
  "attempts" integer NOT NULL DEFAULT 0,
  "last_status_code" integer,
  "last_duration_ms" integer,
  "last_error" text,
  "last_attempt_at" timestamptz,
  "next_attempt_at" timestamptz,
  -- Every attempt: [{at, status_code, duration_ms, error}]
  "attempt_log" jsonb NOT NULL DEFAULT '[]'::jsonb,
  "created_at" timestamptz NOT NULL DEFAULT now()
);--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_key" ON "webhook_deliveries" ("event_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_search_idx" ON "webhook_deliveries" ("saved_search_id", "created_at" DESC, "id" DESC);
