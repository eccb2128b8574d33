/**
 * Unread counts of saved-search events (docs/saved-searches.md "Seen and unread"): an event is unread
 * while it is newer than its search's `read_at`, which reading the first page of its events (or
 * `POST …/seen`) moves to now. An account's total is what the site's header shows.
 */
import type { Env } from "../../env";
import { getSql } from "../db";

/** One saved search's unread count; `s` is `saved_searches` (events name their searches, migration 0021). */
export const UNREAD_COUNT_SQL =
  "(SELECT count(*) FROM saved_search_events e WHERE e.saved_search_ids @> ARRAY[s.id] AND e.created_at > s.read_at)";

/**
 * The unread totals of the accounts among `userIds` that own one of `savedSearchIds`: the hub asks only
 * for the accounts it has open streams for, and tells each account only its own total.
 */
export async function unreadTotalsOf(env: Env, savedSearchIds: string[], userIds: string[]): Promise<Map<string, number>> {
  if (savedSearchIds.length === 0 || userIds.length === 0) return new Map();
  const rows = (await getSql(env).query(
    `SELECT s.user_id::text AS user_id, sum(${UNREAD_COUNT_SQL})::int AS unread_count
     FROM saved_searches s
     WHERE s.user_id = ANY($2::uuid[])
       AND s.user_id IN (SELECT o.user_id FROM saved_searches o WHERE o.id = ANY($1::uuid[]))
     GROUP BY s.user_id`,
    [savedSearchIds, userIds],
  )) as unknown as Array<{ user_id: string; unread_count: number }>;
  return new Map(rows.map((r) => [r.user_id, Number(r.unread_count)]));
}

/** One account's unread total (0 without saved searches). */
export async function unreadTotal(env: Env, userId: string): Promise<number> {
  const rows = (await getSql(env).query(
    `SELECT coalesce(sum(${UNREAD_COUNT_SQL}), 0)::int AS unread_count FROM saved_searches s WHERE s.user_id = $1`,
    [userId],
  )) as unknown as Array<{ unread_count: number }>;
  return Number(rows[0]?.unread_count ?? 0);
}
