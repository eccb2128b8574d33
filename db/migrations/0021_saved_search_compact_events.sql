-- Saved-search matching at scale (docs/saved-searches.md "Matching"): the predicate rows decide the common
-- filters themselves, and events are recorded once per property change instead of once per search.
--
-- Predicate rows: every filter a row can carry as a column rides along (statuses, listing and property
-- types, countries, currency, the radius of a `near`), and `exact` says that the row's columns are the
-- whole filter, so a property the row admits is a match without running the search's own filter. Rows
-- written before this migration say false and are confirmed by the exact filter as before; saving the
-- search again (PATCH) rewrites them.
ALTER TABLE "saved_search_predicates"
  ADD COLUMN "statuses" text[],
  ADD COLUMN "listing_types" text[],
  ADD COLUMN "property_types" text[],
  ADD COLUMN "countries" char(2)[],
  ADD COLUMN "currency" char(3),
  ADD COLUMN "near_point" geography(Point, 4326),
  ADD COLUMN "near_radius_m" double precision,
  ADD COLUMN "exact" boolean NOT NULL DEFAULT false,
  -- What the events step needs of the search, kept on its rows so a candidate needs no lookup of the
  -- search itself (10,000 candidates a batch were 10,000 probes of saved_searches): the trigger below
  -- keeps them equal to the search's.
  ADD COLUMN "events" text[] NOT NULL DEFAULT '{}',
  ADD COLUMN "search_created_at" timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN "paused" boolean NOT NULL DEFAULT false,
  ADD COLUMN "hooked" boolean NOT NULL DEFAULT false;--> statement-breakpoint
UPDATE "saved_search_predicates" pr SET "events" = s."events", "search_created_at" = s."created_at",
  "paused" = s."paused_at" IS NOT NULL, "hooked" = s."webhook_url" IS NOT NULL AND s."webhook_disabled_at" IS NULL
FROM "saved_searches" s WHERE s."id" = pr."saved_search_id";--> statement-breakpoint
CREATE FUNCTION "saved_search_predicates_follow"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE saved_search_predicates SET events = NEW.events, paused = NEW.paused_at IS NOT NULL,
         hooked = NEW.webhook_url IS NOT NULL AND NEW.webhook_disabled_at IS NULL
   WHERE saved_search_id = NEW.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "saved_searches_predicates_follow" AFTER UPDATE OF "events", "paused_at", "webhook_url", "webhook_disabled_at"
  ON "saved_searches" FOR EACH ROW
  WHEN (OLD."events" IS DISTINCT FROM NEW."events" OR OLD."paused_at" IS DISTINCT FROM NEW."paused_at"
        OR OLD."webhook_url" IS DISTINCT FROM NEW."webhook_url" OR OLD."webhook_disabled_at" IS DISTINCT FROM NEW."webhook_disabled_at")
  EXECUTE FUNCTION "saved_search_predicates_follow"();--> statement-breakpoint
-- Localities and countries are looked up with the price range in one GiST index each (btree_gist gives
-- text and char their GiST operator classes), so a property reads only the rows of its place whose band
-- admits its price, instead of every row of its place (or, for countries, of every country).
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
DROP INDEX "saved_search_predicates_city_idx";--> statement-breakpoint
CREATE INDEX "saved_search_predicates_city_gix" ON "saved_search_predicates"
  USING gist ("city_key", int8range("min_price_minor", "max_price_minor", '[]')) WHERE "anchor" = 'city';--> statement-breakpoint
CREATE INDEX "saved_search_predicates_country_gix" ON "saved_search_predicates"
  USING gist ("country", int8range("min_price_minor", "max_price_minor", '[]')) WHERE "anchor" = 'country';--> statement-breakpoint
-- Searches of anywhere (no place) are found by their price range alone: their own index, which no
-- longer holds the country rows a probe would read and drop.
DROP INDEX "saved_search_predicates_price_gix";--> statement-breakpoint
CREATE INDEX "saved_search_predicates_price_gix" ON "saved_search_predicates"
  USING gist (int8range("min_price_minor", "max_price_minor", '[]')) WHERE "anchor" = 'any';--> statement-breakpoint
-- Events: one row per property change and kind, naming the saved searches it is an event of, instead of
-- one row per search (a price drop matched by 40 searches was 40 rows). The key is the change (the
-- property_events row) and the kind, so matching the same change again adds nothing; a search's events
-- are read through the GIN index on `saved_search_ids`. Existing rows are folded into this shape, the
-- deliveries pointed at the folded rows (a delivery keeps its id, its `webhook-id`).
ALTER TABLE "saved_search_events" RENAME TO "saved_search_events_0015";--> statement-breakpoint
ALTER SEQUENCE "saved_search_events_id_seq" RENAME TO "saved_search_events_0015_id_seq";--> statement-breakpoint
ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_event_id_fkey";--> statement-breakpoint
DROP INDEX "webhook_deliveries_event_key";--> statement-breakpoint
CREATE TABLE "saved_search_events" (
  "id" bigserial PRIMARY KEY,
  "property_id" uuid NOT NULL REFERENCES "properties"("id") ON DELETE CASCADE,
  "kind" text NOT NULL,
  -- The property_events row that caused it.
  "change_version" bigint NOT NULL,
  "data" jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The searches this change is an event of. A deleted search's id may stay here: it is only ever read
  -- through a search that exists and is the reader's.
  "saved_search_ids" uuid[] NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now()
);--> statement-breakpoint
INSERT INTO "saved_search_events" ("id", "property_id", "kind", "change_version", "data", "saved_search_ids", "created_at")
SELECT min("id"), "property_id", "kind", "change_version", (array_agg("data" ORDER BY "id"))[1],
       array_agg(DISTINCT "saved_search_id"), min("created_at")
FROM "saved_search_events_0015" GROUP BY "property_id", "kind", "change_version";--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('saved_search_events', 'id'), coalesce((SELECT max("id") FROM "saved_search_events"), 0) + 1, false);--> statement-breakpoint
UPDATE "webhook_deliveries" d SET "event_id" = n."id"
FROM "saved_search_events_0015" o
JOIN "saved_search_events" n USING ("property_id", "kind", "change_version")
WHERE d."event_id" = o."id" AND n."id" <> o."id";--> statement-breakpoint
DROP TABLE "saved_search_events_0015";--> statement-breakpoint
CREATE UNIQUE INDEX "saved_search_events_change_key" ON "saved_search_events" ("property_id", "kind", "change_version");--> statement-breakpoint
CREATE INDEX "saved_search_events_searches_gin" ON "saved_search_events" USING gin ("saved_search_ids");--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_fkey"
  FOREIGN KEY ("event_id") REFERENCES "saved_search_events"("id") ON DELETE CASCADE;--> statement-breakpoint
-- One delivery per search and event (its id the `webhook-id` of every attempt); the key makes recording
-- the same event twice send nothing twice.
CREATE UNIQUE INDEX "webhook_deliveries_search_event_key" ON "webhook_deliveries" ("saved_search_id", "event_id");
