import type { Env } from "../../env";
import { getSql } from "../db";
import type { SqlQuery } from "./sql";

/** Runs a built query over Neon HTTP (one round trip) and returns its rows. */
export async function queryRows<T>(env: Env, q: SqlQuery): Promise<T[]> {
  return (await getSql(env).query(q.text, q.values)) as unknown as T[];
}
