-- Map tiles from a rollup (workers/src/pkg/search/tile-rollup.ts, docs/api-search.md "Map tiles"): a
-- cluster tile of a dense area counted its properties row by row (1.3 s at z5 over a city of a 1M
-- table). `tile_cells` holds, per cluster cell of each zoom, how many properties fall in it for each
-- combination of the filters a map mostly carries (status, listing and property type, country,
-- currency, a price bucket), with the sums of their coordinates (the cluster's position). A tile
-- sums at most 64 cells' rows instead of counting the properties, and its counts stay exact.
--
-- Cells: the Web Mercator tiles of zoom `level`; a tile of zoom z is cut into 8 × 8 cells, the tiles
-- of zoom z + 3. Levels 3 … 13 serve the tiles of zooms 0 … 10. The cell of a coarser level is the
-- finer cell shifted right (the coordinate is scaled by a power of two, which is exact in floating
-- point), so a property is in nested cells at every level. Beyond ±85.0511° (off the Mercator map)
-- a property is in no cell, as it is in no tile.
-- Not STRICT, so the planner inlines them (a STRICT function is inlined only when its body is strict,
-- which least() and CASE are not); a NULL coordinate still gives NULL.
CREATE FUNCTION tile_cell_x(level integer, lng double precision) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN least((1 << level) - 1, greatest(0, floor((lng + 180) / 360 * (1 << level))))::integer;--> statement-breakpoint
CREATE FUNCTION tile_cell_y(level integer, lat double precision) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN abs(lat) < 85.0511287798066
    THEN least((1 << level) - 1, floor((1 - ln(tan(radians(lat)) + 1 / cos(radians(lat))) / pi()) / 2 * (1 << level)))::integer END;--> statement-breakpoint
-- Price buckets, 8 per doubling (each about 9 % wide), computed with integer operations only so a
-- bucket's edges are exact: prices 0 … 7 (minor units) are buckets 0 … 7; a price p ≥ 8 with e =
-- floor(log2 p) is bucket 8e + (p >> (e - 3)) - 8, i.e. its top four bits. No price: -1.
CREATE FUNCTION tile_price_bucket(price_minor bigint) RETURNS smallint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN price_minor IS NULL THEN -1 WHEN price_minor < 8 THEN greatest(price_minor, 0)
    ELSE 8 * (length(ltrim(price_minor::bit(64)::text, '0')) - 1)
         + (price_minor >> (length(ltrim(price_minor::bit(64)::text, '0')) - 4))::integer - 8 END;--> statement-breakpoint
-- The lowest price of a bucket (the highest of bucket b is the lowest of b + 1, less one).
CREATE FUNCTION tile_price_bucket_low(bucket integer) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN CASE WHEN bucket < 8 THEN greatest(bucket, 0) WHEN bucket < 24 THEN 8
    ELSE ((bucket % 8) + 8)::bigint << (bucket / 8 - 3) END;--> statement-breakpoint
CREATE TABLE "tile_cells" (
  "level" smallint NOT NULL,
  "cx" integer NOT NULL,
  "cy" integer NOT NULL,
  "status" text NOT NULL,
  "listing_type" text NOT NULL,
  "property_type" text NOT NULL,
  "country" char(2) NOT NULL,
  "currency" char(3) NOT NULL,
  "price_bucket" smallint NOT NULL,
  "n" integer NOT NULL,
  -- Sums of the coordinates in units of 1e-7 degree: integers, so adding and removing a property
  -- leaves no rounding behind, and a cell of one property holds that property's exact position.
  "sx" bigint NOT NULL,
  "sy" bigint NOT NULL,
  PRIMARY KEY ("level", "cx", "cy", "status", "listing_type", "property_type", "country", "currency", "price_bucket")
    INCLUDE ("n", "sx", "sy")
);--> statement-breakpoint
CREATE INDEX "tile_cells_empty_idx" ON "tile_cells" ("level") WHERE "n" = 0;--> statement-breakpoint
-- Every write to `properties` appends its changes here (statement triggers below): appends never wait
-- on each other, where updating the shared rows of a city's coarse cells directly would serialise
-- concurrent ingest batches (and could deadlock them). Readers add these rows to `tile_cells`; the
-- cron folds them in (`tile_cells_fold`).
CREATE TABLE "tile_cell_changes" (LIKE "tile_cells");--> statement-breakpoint
CREATE INDEX "tile_cell_changes_cell_idx" ON "tile_cell_changes"
  ("level", "cx", "cy", "status") INCLUDE ("listing_type", "property_type", "country", "currency", "price_bucket", "n", "sx", "sy");--> statement-breakpoint
-- The rows of a table of properties (a transition table, or `properties` itself), as counts per cell
-- of every level: `sign` 1 adds them, -1 removes them.
CREATE FUNCTION tile_cells_of(sign integer, rows_sql text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN format(
    'SELECT l.level::smallint, r.cx >> (13 - l.level), r.cy >> (13 - l.level), r.status, r.listing_type, r.property_type,
            r.country, r.currency, r.price_bucket, (%s * sum(r.n))::integer, %s * sum(r.sx)::bigint, %s * sum(r.sy)::bigint
       FROM (SELECT tile_cell_x(13, p.lng) AS cx, tile_cell_y(13, p.lat) AS cy, p.status, p.listing_type, p.property_type,
                    p.country, p.currency, tile_price_bucket(p.price_minor) AS price_bucket,
                    count(*) AS n, sum(round(p.lng * 1e7)) AS sx, sum(round(p.lat * 1e7)) AS sy
               FROM (%s) p
              WHERE tile_cell_y(13, p.lat) IS NOT NULL AND p.lng IS NOT NULL
              GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) r
      CROSS JOIN generate_series(3, 13) AS l(level)
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9',
    sign, sign, sign, rows_sql);--> statement-breakpoint
CREATE FUNCTION tile_cells_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved constant text := '(o.lng, o.lat, o.status, o.listing_type, o.property_type, o.country, o.currency, o.price_minor)
    IS DISTINCT FROM (n.lng, n.lat, n.status, n.listing_type, n.property_type, n.country, n.currency, n.price_minor)';
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE 'INSERT INTO tile_cell_changes ' || tile_cells_of(1, 'SELECT * FROM new_rows');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE 'INSERT INTO tile_cell_changes ' || tile_cells_of(-1, 'SELECT * FROM old_rows');
  ELSE
    -- Only the rows whose counted columns changed (most updates touch none of them).
    EXECUTE 'INSERT INTO tile_cell_changes ' || tile_cells_of(-1, 'SELECT o.* FROM old_rows o JOIN new_rows n USING (id) WHERE ' || moved)
      || ' UNION ALL ' || tile_cells_of(1, 'SELECT n.* FROM old_rows o JOIN new_rows n USING (id) WHERE ' || moved);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "properties_tile_cells_insert" AFTER INSERT ON "properties"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_cells_track();--> statement-breakpoint
CREATE TRIGGER "properties_tile_cells_update" AFTER UPDATE ON "properties"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_cells_track();--> statement-breakpoint
CREATE TRIGGER "properties_tile_cells_delete" AFTER DELETE ON "properties"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_cells_track();--> statement-breakpoint
CREATE FUNCTION tile_cells_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE tile_cells, tile_cell_changes;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "properties_tile_cells_truncate" AFTER TRUNCATE ON "properties"
  FOR EACH STATEMENT EXECUTE FUNCTION tile_cells_clear();--> statement-breakpoint
-- Folds the appended changes into `tile_cells` (the 10-minute cron; readers see the same sums before
-- and after: the changes move in one statement) and drops the cells left empty.
CREATE FUNCTION tile_cells_fold() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  folded integer;
BEGIN
  WITH moved AS (DELETE FROM tile_cell_changes RETURNING *),
  summed AS (
    SELECT level, cx, cy, status, listing_type, property_type, country, currency, price_bucket,
           sum(n)::integer AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy
      FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ), upserted AS (
    INSERT INTO tile_cells
    SELECT * FROM summed ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT (level, cx, cy, status, listing_type, property_type, country, currency, price_bucket)
    DO UPDATE SET n = tile_cells.n + excluded.n, sx = tile_cells.sx + excluded.sx, sy = tile_cells.sy + excluded.sy
    RETURNING 1
  )
  SELECT count(*) INTO folded FROM upserted;
  DELETE FROM tile_cells WHERE n = 0;
  RETURN folded;
END $$;--> statement-breakpoint
-- Recomputes the rollup from `properties` (after a bulk load with the triggers off).
CREATE FUNCTION tile_cells_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE tile_cells, tile_cell_changes IN EXCLUSIVE MODE;
  DELETE FROM tile_cell_changes;
  DELETE FROM tile_cells;
  EXECUTE 'INSERT INTO tile_cells ' || tile_cells_of(1, 'SELECT * FROM properties');
END $$;--> statement-breakpoint
SELECT tile_cells_rebuild();--> statement-breakpoint
-- The partial price bucket of a tile's price bounds is counted from the properties themselves: the
-- rows of one status and bucket in the tile's band of latitudes (the cells' own test decides). Latitude,
-- not geo_cell: a second index on geo_cell would give the planner a second set of statistics for the
-- viewport walks' cell ranges.
CREATE INDEX "properties_status_price_bucket_lat_idx" ON "properties" USING btree
  ("status", tile_price_bucket("price_minor"), "lat")
  INCLUDE ("lng", "price_minor", "listing_type", "property_type", "country", "currency");
--> statement-breakpoint
-- The market statistics rollup (migration 0006) with the live path's rules (workers/src/pkg/search/stats.ts):
-- days on market count only dates the sources gave (a sale needs a listing date before it; a sale
-- reported alone, or a listing dated by its import after a historical sale, is left out instead of
-- counting 0 or less), and a price drop is dated by when it happened at the source (`occurred_at`).
DROP MATERIALIZED VIEW "property_stats_city";--> statement-breakpoint
CREATE MATERIALIZED VIEW "property_stats_city" AS
SELECT p.country,
       p.status,
       CASE WHEN grouping(p.listing_type) = 0 THEN p.listing_type ELSE '*' END AS listing_type,
       CASE WHEN grouping(p.property_type) = 0 THEN coalesce(p.property_type, '') ELSE '*' END AS property_type,
       coalesce(p.city_key, '') AS city_key,
       min(p.city) AS label,
       p.currency,
       count(*)::int AS count,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.price_minor) AS median_price_minor,
       percentile_cont(0.25) WITHIN GROUP (ORDER BY p.price_minor) AS p25_price_minor,
       percentile_cont(0.75) WITHIN GROUP (ORDER BY p.price_minor) AS p75_price_minor,
       avg(p.price_minor)::float8 AS avg_price_minor,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.price_per_sqm) AS median_price_per_sqm,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN p.sold_at IS NULL OR p.sold_at > p.listed_at
         THEN extract(epoch FROM coalesce(p.sold_at, now()) - p.listed_at) / 86400.0 END) AS median_days_on_market,
       count(*) FILTER (WHERE p.listed_at >= now() - interval '30 days')::int AS new_listings,
       count(*) FILTER (WHERE p.id IN (SELECT e.property_id FROM property_events e
         WHERE e.type = 'price_change' AND e.occurred_at >= now() - interval '30 days'
           AND coalesce((e.new->>'price_minor')::numeric, (e.new->>'price')::numeric)
             < coalesce((e.old->>'price_minor')::numeric, (e.old->>'price')::numeric)))::int AS price_drops,
       now() AS computed_at
  FROM properties p
 GROUP BY GROUPING SETS (
   (p.country, p.status, p.listing_type, p.property_type, p.city_key, p.currency),
   (p.country, p.status, p.listing_type, p.city_key, p.currency),
   (p.country, p.status, p.property_type, p.city_key, p.currency),
   (p.country, p.status, p.city_key, p.currency));--> statement-breakpoint
CREATE UNIQUE INDEX "property_stats_city_key" ON "property_stats_city"
  ("country", "status", "listing_type", "property_type", "count" DESC, "city_key", "currency");
