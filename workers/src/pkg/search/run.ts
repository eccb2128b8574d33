import type { Env } from "../../env";
import { classifyBackendFailure } from "../backend/failure";
import { getSql } from "../db";
import type { SqlQuery } from "./sql";

/** Planner settings a query needs, applied with SET LOCAL in the same HTTP transaction. */
export type PlannerSettings = Partial<
  Record<"enable_sort" | "enable_seqscan" | "jit" | "max_parallel_workers_per_gather" | "search_path", string>
>;

/**
 * Aggregations (stats, facets) read many rows: serial (on 2 cores a parallel plan was 3× slower,
 * P11) and without JIT (80-100 ms of compiling per query). The table setting and the database
 * setting in migration 0003 say the same; this holds even where those could not be applied.
 */
export const AGGREGATE_SETTINGS: PlannerSettings = { jit: "off", max_parallel_workers_per_gather: "0" };

/**
 * Runs a built query over Neon HTTP (one round trip) and returns its rows. With settings, the
 * statement runs in a non-interactive transaction after `SET LOCAL`s: still one round trip.
 */
export async function queryRows<T>(env: Env, q: SqlQuery & { settings?: PlannerSettings }): Promise<T[]> {
  const sql = getSql(env);
  const settings = Object.entries(q.settings ?? {});
  try {
    if (settings.length === 0) return (await sql.query(q.text, q.values)) as unknown as T[];
    const results = await sql.transaction([
      ...settings.map(([name, value]) => sql.query("SELECT set_config($1, $2, true)", [name, value])),
      sql.query(q.text, q.values),
    ]);
    return results.at(-1) as unknown as T[];
  } catch (err) {
    const failure = classifyBackendFailure(err);
    throw failure?.kind === "unavailable" ? failure.error : err;
  }
}
