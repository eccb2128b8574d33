-- A location for every property with a postcode or a locality (docs/geocoding.md "Gazetteer backfill"):
-- the gazetteer's key of a postcode as a property may write it. GB's gazetteer holds outward codes
-- (postcode districts: "NE1 4XX" → "NE1"), the US's five-digit ZIP codes ("98178-1234" → "98178"),
-- the others whole postcodes without spaces, upper case. No index is added: the backfill's statements run
-- once an hour, and an index on `location IS NULL` would cost every ingest write.
CREATE FUNCTION gazetteer_postcode_key(country text, code text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN nullif(CASE
    WHEN country = 'GB' THEN regexp_replace(upper(regexp_replace(code, '\s+', '', 'g')), '^([A-Z]{1,2}[0-9][0-9A-Z]?)[0-9][A-Z]{2}$', '\1')
    WHEN country = 'US' THEN left(regexp_replace(code, '[^0-9]', '', 'g'), 5)
    ELSE upper(regexp_replace(code, '\s+', '', 'g'))
  END, '');
