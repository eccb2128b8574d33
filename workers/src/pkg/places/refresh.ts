/**
 * The `places` view (migration 0013) is computed from the gazetteer and the stored properties; it is
 * refreshed with the stats rollup (every 10 minutes, `ROLLUP_REFRESH_CRON`), so a place's property
 * count is as of the last refresh. Concurrently: the place box keeps answering meanwhile. Like the
 * rollup's, the refresh reads every property once (seconds at 1M rows, docs/benchmarks.md): the
 * cron's `DB_TIMEOUT_MS` must allow it.
 */
import type { Env } from "../../env";
import { getSql } from "../db";

export async function refreshPlaces(env: Env): Promise<void> {
  await getSql(env).query("REFRESH MATERIALIZED VIEW CONCURRENTLY places");
}
