/**
 * The hourly enrichment scheduler: picks active properties that miss key fields or have not been
 * seen at their source for a while, claims them, and queues one `EnrichmentRequest` each.
 *
 * At-least-once without doubles: the claim (`enrichment_queued_at = now()`) is one UPDATE … RETURNING
 * that only takes rows outside the cool-off window, with `FOR UPDATE SKIP LOCKED`, so two overlapping
 * runs can never claim the same row. Messages are sent after the claim commits:
 *   - a send that fails releases its rows (their previous timestamp comes back), so nothing is lost;
 *   - a crash between claim and send leaves rows claimed but unsent: they are delayed by one cool-off
 *     period and then picked again — late, never lost, never queued twice within the window;
 *   - Queues may still deliver a message twice; the dispatcher treats a delivery older than the
 *     property's `enriched_at` as done (see dispatcher.ts), so a redelivery changes nothing.
 *
 * Order, most valuable first: properties without coordinates (invisible on the map), then those
 * missing the most key fields, then the most recently listed (the listings people look at), then id.
 */

import type { EnrichmentRequest } from "../../../../connectors/contract/enrichment";
import type { Env } from "../../env";
import { getSql } from "../db";
import { log } from "../log";
import { enrichmentConfig } from "./config";

/** Queues' `sendBatch` limit: 100 messages (and 256 KB, far above 100 of these). */
const SEND_BATCH = 100;

type ClaimedRow = {
  property_id: string;
  previous_queued_at: string | null;
  queued_at: string;
  source: string;
  source_url: string | null;
  country: string;
  missing_fields: string[];
  address: string;
  city: string | null;
};

export type ScheduleResult = { claimed: number; sent: number; released: number };

export const CLAIM_SQL = `
WITH candidates AS (
  SELECT p.id, p.enrichment_queued_at AS previous_queued_at, m.missing
    FROM properties p
    CROSS JOIN LATERAL (
      SELECT array_remove(ARRAY[
        CASE WHEN p.location IS NULL THEN 'location' END,
        CASE WHEN p.bedrooms IS NULL THEN 'bedrooms' END,
        CASE WHEN p.bathrooms IS NULL THEN 'bathrooms' END,
        CASE WHEN p.area_living_sqm IS NULL THEN 'area_living_sqm' END,
        CASE WHEN p.price_minor IS NULL THEN 'price' END,
        CASE WHEN p.thumbnail_url IS NULL
              AND NOT EXISTS (SELECT 1 FROM property_images i WHERE i.property_id = p.id) THEN 'images' END
      ], NULL) AS missing
    ) m
   WHERE p.status = 'active'
     AND (p.enrichment_queued_at IS NULL OR p.enrichment_queued_at < now() - make_interval(hours => $1::int))
     AND (cardinality(m.missing) > 0 OR p.last_seen_at < now() - make_interval(days => $2::int))
   ORDER BY (p.location IS NULL) DESC, cardinality(m.missing) DESC, p.listed_at DESC, p.id
   LIMIT $3
   FOR UPDATE OF p SKIP LOCKED
), claimed AS (
  UPDATE properties p
     SET enrichment_queued_at = date_trunc('milliseconds', now())
    FROM candidates c
   WHERE p.id = c.id
     AND (p.enrichment_queued_at IS NULL OR p.enrichment_queued_at < now() - make_interval(hours => $1::int))
  RETURNING p.id, p.primary_source, p.country, p.city, p.enrichment_queued_at, c.previous_queued_at, c.missing,
            coalesce(p.address_full, concat_ws(', ', nullif(concat_ws(' ', p.unit, p.street), ''), p.city, p.state, p.postal_code)) AS address
)
SELECT cl.id AS property_id,
       to_char(cl.previous_queued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS previous_queued_at,
       to_char(cl.enrichment_queued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS queued_at,
       coalesce(s.source, cl.primary_source) AS source, s.source_url, cl.country, cl.missing AS missing_fields,
       cl.address, cl.city
  FROM claimed cl
  LEFT JOIN LATERAL (
    SELECT ps.source, ps.source_url FROM property_sources ps
     WHERE ps.property_id = cl.id
     ORDER BY (ps.source = cl.primary_source) DESC, ps.last_seen_at DESC
     LIMIT 1
  ) s ON true`;

export async function scheduleEnrichment(env: Env, queue: Queue | undefined = env.ENRICHMENT_QUEUE): Promise<ScheduleResult> {
  if (!queue) throw new Error("ENRICHMENT_QUEUE is not bound: cannot schedule enrichment");
  const config = enrichmentConfig(env);
  const sql = getSql(env);
  const rows = (await sql.query(CLAIM_SQL, [config.cooloffHours, config.staleAfterDays, config.maxPerRun])) as ClaimedRow[];

  let sent = 0;
  let released = 0;
  for (let i = 0; i < rows.length; i += SEND_BATCH) {
    const chunk = rows.slice(i, i + SEND_BATCH);
    const messages = chunk.map((r) => ({
      body: {
        property_id: r.property_id,
        source: r.source,
        source_url: r.source_url ?? "",
        country: r.country.trim(),
        missing_fields: r.missing_fields,
        address: r.address ?? "",
        city: r.city ?? "",
        queued_at: r.queued_at,
      } satisfies EnrichmentRequest,
      contentType: "json" as const,
    }));
    try {
      await queue.sendBatch(messages);
      sent += chunk.length;
    } catch (err) {
      released += await releaseClaims(env, chunk);
      log(undefined, "error", {
        msg: "enrichment send failed; claims released",
        error: (err as Error).message,
        count: chunk.length,
      });
    }
  }
  log(undefined, "info", { msg: "enrichment scheduled", claimed: rows.length, sent, released });
  return { claimed: rows.length, sent, released };
}

/** Gives rows back their previous timestamp, unless something claimed them again meanwhile. */
async function releaseClaims(env: Env, rows: ClaimedRow[]): Promise<number> {
  const released = (await getSql(env).query(
    `UPDATE properties p SET enrichment_queued_at = u.previous
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS u(id, previous, claimed)
      WHERE p.id = u.id AND p.enrichment_queued_at = u.claimed
     RETURNING p.id`,
    [rows.map((r) => r.property_id), rows.map((r) => r.previous_queued_at), rows.map((r) => r.queued_at)],
  )) as unknown[];
  return released.length;
}
