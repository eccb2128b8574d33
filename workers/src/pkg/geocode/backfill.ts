/**
 * Locates, from the offline gazetteer, every property still without a location that has a postcode or a
 * locality it knows (statements and rules in backfill-sql.ts). Run by the hourly enrichment cron before it
 * schedules work, so new records are located without waiting for a geocoder, and by `npm start` after the
 * demo load.
 */
import type { Env } from "../../env";
import { getSql } from "../db";
import { log } from "../log";
import { BACKFILL_STEPS } from "./backfill-sql";

/** Rows located per step, in the order the steps ran (most precise first). */
export type BackfillResult = Record<string, number>;

/** `only`: these properties alone (tests share one database); default every property. */
export async function locateFromGazetteer(env: Env, only: string[] | null = null): Promise<BackfillResult> {
  const sql = getSql(env);
  const result: BackfillResult = {};
  for (const step of BACKFILL_STEPS) {
    const [row] = (await sql.query(step.sql, [only])) as Array<{ located: number }>;
    result[step.name] = row?.located ?? 0;
  }
  log(undefined, "info", { msg: "gazetteer backfill", ...result });
  return result;
}
