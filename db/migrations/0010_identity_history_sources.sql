-- Identity's second step (docs/ingest.md "Identity"): when a listing's exact address key misses, the
-- properties with the same house number on the same street name in the same country are its
-- candidates, whatever postcode, locality or street type either side wrote. The key folds the stored
-- street line ("14 Smith Street") like the ingest normaliser folds names (lower case, accents and
-- punctuation dropped) and leaves out the last word of three or more, the street type ("14 smith"),
-- so that "14 Smith Court" is found as a near candidate of "14 Smith Street" and reported, not merged.
CREATE FUNCTION street_identity_key(street text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN regexp_replace(
    btrim(regexp_replace(translate(lower(f_unaccent(street)), '''’`', ''), '[^[:alnum:]]+', ' ', 'g')),
    '^(\S+ .+) \S+$', '\1');
--> statement-breakpoint
CREATE INDEX "properties_street_identity_idx" ON "properties" USING btree ("country",street_identity_key("street"));
--> statement-breakpoint
-- Source-dated history (docs/data-model.md "History events"): `at` stays the time Pillow observed an event,
-- `occurred_at` is when it happened at the source. Existing rows get the date their payload names (a sale's
-- `sold_at`; a first listing's `listed_at`, when it is earlier than its observation), else the observation time.
ALTER TABLE "property_events" ADD COLUMN "occurred_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "property_events" e SET "occurred_at" = coalesce(
    CASE WHEN e.type IN ('listed', 'status_change', 'sold') AND jsonb_typeof(e.new -> 'sold_at') = 'string'
         THEN (e.new ->> 'sold_at')::timestamptz END,
    CASE WHEN e.type = 'listed' THEN (SELECT least(p.listed_at, e.at) FROM properties p WHERE p.id = e.property_id) END,
    e.at);--> statement-breakpoint
DROP INDEX "property_events_type_at_idx";--> statement-breakpoint
CREATE INDEX "property_events_type_occurred_idx" ON "property_events" USING btree ("type","occurred_at");
