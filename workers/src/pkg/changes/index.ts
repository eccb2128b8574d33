/**
 * What happens after properties are written, whoever wrote them (ingest API, importers, enrichment):
 * the data version is bumped so cached reads become stale at once. Other listeners (real-time
 * subscribers) hook in here too, so writers call exactly one function.
 */
import type { Env } from "../../env";
import { log } from "../log";
import { getRedis } from "../redis";

export const DATA_VERSION_KEY = "pillow:data-version";

export type PropertyChange = {
  id: string;
  outcome: "created" | "merged" | "withdrawn";
};

export async function currentDataVersion(env: Env): Promise<number> {
  return Number((await getRedis(env).get<number>(DATA_VERSION_KEY)) ?? 0);
}

export async function propertiesChanged(env: Env, changes: PropertyChange[]): Promise<void> {
  if (changes.length === 0) return;
  try {
    await getRedis(env).incr(DATA_VERSION_KEY);
  } catch (err) {
    // A missed bump only means caches live until their TTL; the write itself has succeeded.
    log(undefined, "warn", { msg: "could not bump data version", error: (err as Error).message });
  }
}
