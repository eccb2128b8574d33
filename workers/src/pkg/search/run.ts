import type { PlannerSettings } from "../db";

/** Reads run through the one database layer (pkg/db), which maps its errors like every other caller's. */
export { type PlannerSettings, queryRows } from "../db";

/**
 * Aggregations (stats, facets) read many rows: serial (on 2 cores a parallel plan was 3× slower,
 * docs/query-design.md "P11") and without JIT (80-100 ms of compiling per query). The table setting and the database
 * setting in migration 0003 say the same; this holds even where those could not be applied.
 */
export const AGGREGATE_SETTINGS: PlannerSettings = { jit: "off", max_parallel_workers_per_gather: "0" };
