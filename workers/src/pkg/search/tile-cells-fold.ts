/**
 * Folds the map tiles' change rows into their rollup (`tile_cells_fold`, migration 0016): every write to
 * `properties` appends its per-cell changes, which tiles read alongside the rollup; folding keeps that
 * list short. Run with the stats rollup's refresh (every 10 minutes, `ROLLUP_REFRESH_CRON`). Tiles are
 * exact before and after: the changes move into the rollup in one statement.
 */
import type { Env } from "../../env";
import { getSql } from "../db";

export async function foldTileCells(env: Env): Promise<void> {
  await getSql(env).query("SELECT tile_cells_fold()");
}
