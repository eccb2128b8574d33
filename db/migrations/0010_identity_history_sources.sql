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
