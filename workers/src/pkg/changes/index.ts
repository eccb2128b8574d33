/**
 * What happens after properties are written, whoever wrote them (ingest API, importers, enrichment):
 * the data version is bumped so cached reads become stale at once (and this data centre's edge answers
 * end). Other listeners (real-time subscribers, saved searches) hook in here too, so writers call exactly
 * one function.
 */
import type { Env } from "../../env";
import { newGeneration } from "../edge/generation";
import { notifyLiveSubscribers } from "../live/notify";
import { log } from "../log";
import { getRedis } from "../redis";
import { queueMatching } from "../saved-searches/match-queue";

export const DATA_VERSION_KEY = "pillow:data-version";

/**
 * One written property. Writers pass the id and what happened; listeners load the fields they need
 * by id (the live hub loads the search item for all changed ids in one query).
 */
export type PropertyChange = {
  id: string;
  /** `unchanged` is accepted (and ignored) so batch writers can pass their results through as they are. */
  outcome: "created" | "merged" | "withdrawn" | "unchanged";
};

export async function currentDataVersion(env: Env): Promise<number> {
  return Number((await getRedis(env).get<number>(DATA_VERSION_KEY)) ?? 0);
}

export async function propertiesChanged(env: Env, changes: PropertyChange[]): Promise<void> {
  const written = changes.filter((c) => c.outcome !== "unchanged");
  if (written.length === 0) return;
  await Promise.all([bumpDataVersion(env), endEdgeEntries(), tellLiveSubscribers(env, written), matchSaved(env, written)]);
}

/** This data centre's edge answers end at once; elsewhere they age out within the edge bound (pkg/edge). */
async function endEdgeEntries(): Promise<void> {
  try {
    await newGeneration();
  } catch (err) {
    log(undefined, "warn", { msg: "could not end edge cache entries", error: (err as Error).message });
  }
}

async function bumpDataVersion(env: Env): Promise<void> {
  try {
    await getRedis(env).incr(DATA_VERSION_KEY);
  } catch (err) {
    // A missed bump only means caches live until their TTL; the write itself has succeeded.
    log(undefined, "warn", { msg: "could not bump data version", error: (err as Error).message });
  }
}

async function tellLiveSubscribers(env: Env, changes: PropertyChange[]): Promise<void> {
  try {
    await notifyLiveSubscribers(env, changes);
  } catch (err) {
    // Open pages miss one update (they still see it on their next search); the write has succeeded.
    log(undefined, "warn", { msg: "could not notify live subscribers", error: (err as Error).message });
  }
}

async function matchSaved(env: Env, changes: PropertyChange[]): Promise<void> {
  try {
    await queueMatching(env, changes);
  } catch (err) {
    // Alerts for this write are missed (the next change of the property matches again); the write has succeeded.
    log(undefined, "warn", { msg: "could not match saved searches", error: (err as Error).message });
  }
}
