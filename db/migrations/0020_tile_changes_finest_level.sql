-- Map tiles' rollup (migration 0016): the write path records its changes at the finest level only.
-- Appending every change at all eleven levels made the statement triggers the larger part of an ingest
-- write (about 10 change rows per new property, 22 per price change); readers and the fold now derive
-- the coarser levels from the finest cell (a coarser cell is the finest one shifted right), and an
-- update that leaves a property in the same cell and price bucket records nothing.
--
-- Changes recorded under the old scheme are folded first, so none of them is expanded twice.
SELECT tile_cells_fold();--> statement-breakpoint
-- Rows carrying a `sign` column (1 adds the row, -1 removes it) as change rows of level 13: rows that
-- cancel out (a price change inside one bucket of one cell) leave nothing.
CREATE FUNCTION tile_cell_deltas(rows_sql text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN format(
    'SELECT 13::smallint, tile_cell_x(13, p.lng), tile_cell_y(13, p.lat), p.status, p.listing_type, p.property_type,
            p.country, p.currency, tile_price_bucket(p.price_minor), sum(p.sign)::integer,
            sum(p.sign * round(p.lng * 1e7))::bigint, sum(p.sign * round(p.lat * 1e7))::bigint
       FROM (%s) p
      WHERE tile_cell_y(13, p.lat) IS NOT NULL AND p.lng IS NOT NULL
      GROUP BY 2, 3, 4, 5, 6, 7, 8, 9
     HAVING sum(p.sign) <> 0 OR sum(p.sign * round(p.lng * 1e7)) <> 0 OR sum(p.sign * round(p.lat * 1e7)) <> 0',
    rows_sql);--> statement-breakpoint
CREATE OR REPLACE FUNCTION tile_cells_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  counted constant text := 'lng, lat, status, listing_type, property_type, country, currency, price_minor';
  -- Only the rows whose cell or counted columns changed (most updates touch none of them).
  moved constant text := ' FROM old_rows o JOIN new_rows n USING (id)
    WHERE (o.lng, o.lat, o.status, o.listing_type, o.property_type, o.country, o.currency, tile_price_bucket(o.price_minor))
      IS DISTINCT FROM (n.lng, n.lat, n.status, n.listing_type, n.property_type, n.country, n.currency, tile_price_bucket(n.price_minor))';
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE 'INSERT INTO tile_cell_changes ' || tile_cell_deltas('SELECT 1 AS sign, ' || counted || ' FROM new_rows');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE 'INSERT INTO tile_cell_changes ' || tile_cell_deltas('SELECT -1 AS sign, ' || counted || ' FROM old_rows');
  ELSE
    EXECUTE 'INSERT INTO tile_cell_changes ' || tile_cell_deltas(
      'SELECT -1 AS sign, o.lng, o.lat, o.status, o.listing_type, o.property_type, o.country, o.currency, o.price_minor' || moved ||
      ' UNION ALL SELECT 1, n.lng, n.lat, n.status, n.listing_type, n.property_type, n.country, n.currency, n.price_minor' || moved);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Folds the change rows into `tile_cells`, a row of level 13 into its cell at every level 3 … 13 (a row
-- of another level, should one be there, into its own level only).
CREATE OR REPLACE FUNCTION tile_cells_fold() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  folded integer;
BEGIN
  WITH moved AS (DELETE FROM tile_cell_changes RETURNING *),
  summed AS (
    SELECT l.level::smallint, m.cx >> (m.level - l.level) AS cx, m.cy >> (m.level - l.level) AS cy, m.status, m.listing_type,
           m.property_type, m.country, m.currency, m.price_bucket, sum(m.n)::integer AS n, sum(m.sx)::bigint AS sx, sum(m.sy)::bigint AS sy
      FROM moved m
     CROSS JOIN LATERAL generate_series(CASE WHEN m.level = 13 THEN 3 ELSE m.level END, m.level) AS l(level)
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
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
END $$;
