/**
 * Counts for the admin view of the enrichment loop, per source: properties queued and not yet
 * handled, handled since their last queueing, failed (dead letters not yet resolved), taken off the
 * market after misses, and how many active properties still miss each key field.
 * One pass over `properties` (an admin call, not a hot path; see docs/enrichment.md).
 */

import { KEY_FIELDS, type KeyField } from "../../../../connectors/contract/enrichment";
import type { Env } from "../../env";
import { getSql } from "../db";
import { ENRICHMENT_QUEUE_NAME } from "./dead-letters";

export type SourceStats = {
  source: string;
  active: number;
  queued: number;
  done: number;
  failed: number;
  /** Crawl runs of this source's connector that found a page of a known kind but no listing on it. */
  layout_changed: number;
  off_market_after_misses: number;
  missing: Record<KeyField, number>;
  /** Share of active properties that have each key field (1 when there are none). */
  coverage: Record<KeyField, number>;
};

type Row = Record<string, number | string>;

/**
 * Unresolved rows of `failed_enrichments` per queue, across sources: the dead letters of every queue that
 * stores them there (`property-enrichment`, `crawl`, `saved-search-matching`, whose messages name no
 * source) and the crawl's permanent failures, so no stored failure is missing from the admin view.
 */
export async function failedByQueue(env: Env): Promise<Array<{ queue: string; failed: number }>> {
  return (await getSql(env).query(
    `SELECT queue, count(*)::int AS failed FROM failed_enrichments WHERE NOT resolved GROUP BY queue ORDER BY queue`,
  )) as unknown as Array<{ queue: string; failed: number }>;
}

export async function enrichmentStats(env: Env, source?: string): Promise<SourceStats[]> {
  const sql = getSql(env);
  const [rows, failed] = await Promise.all([
    sql.query(
      `SELECT p.primary_source AS source,
              count(*) FILTER (WHERE status = 'active')::int AS active,
              count(*) FILTER (WHERE enrichment_queued_at IS NOT NULL
                                 AND (enriched_at IS NULL OR enriched_at < enrichment_queued_at))::int AS queued,
              count(*) FILTER (WHERE enriched_at IS NOT NULL AND enriched_at >= enrichment_queued_at)::int AS done,
              count(*) FILTER (WHERE status = 'off_market' AND source_misses > 0)::int AS off_market_after_misses,
              count(*) FILTER (WHERE status = 'active' AND location IS NULL)::int AS location,
              count(*) FILTER (WHERE status = 'active' AND bedrooms IS NULL)::int AS bedrooms,
              count(*) FILTER (WHERE status = 'active' AND bathrooms IS NULL)::int AS bathrooms,
              count(*) FILTER (WHERE status = 'active' AND area_living_sqm IS NULL)::int AS area_living_sqm,
              count(*) FILTER (WHERE status = 'active' AND price_minor IS NULL)::int AS price,
              count(*) FILTER (WHERE status = 'active' AND thumbnail_url IS NULL
                                 AND NOT EXISTS (SELECT 1 FROM property_images i WHERE i.property_id = p.id))::int AS images
         FROM properties p
        WHERE ($1::text IS NULL OR p.primary_source = $1)
        GROUP BY p.primary_source
        ORDER BY p.primary_source`,
      [source ?? null],
    ) as Promise<Row[]>,
    sql.query(
      `SELECT coalesce(message->>'source', 'unknown') AS source,
              count(*) FILTER (WHERE queue = $1)::int AS failed,
              count(*) FILTER (WHERE queue = 'crawl' AND reason LIKE 'layout_changed:%')::int AS layout_changed
         FROM failed_enrichments
        WHERE queue IN ($1, 'crawl') AND NOT resolved AND ($2::text IS NULL OR message->>'source' = $2)
        GROUP BY 1`,
      [ENRICHMENT_QUEUE_NAME, source ?? null],
    ) as Promise<Row[]>,
  ]);
  const failedBySource = new Map(failed.map((f) => [String(f.source), Number(f.failed)]));
  const layoutBySource = new Map(failed.map((f) => [String(f.source), Number(f.layout_changed)]));
  const sources = new Set([...rows.map((r) => String(r.source)), ...failedBySource.keys()]);
  return [...sources].sort().map((name) => {
    const r = rows.find((row) => row.source === name) ?? {};
    const active = Number(r.active ?? 0);
    const missing = Object.fromEntries(KEY_FIELDS.map((f) => [f, Number(r[f] ?? 0)])) as Record<KeyField, number>;
    const coverage = Object.fromEntries(
      KEY_FIELDS.map((f) => [f, active === 0 ? 1 : Math.round((1 - missing[f] / active) * 1000) / 1000]),
    ) as Record<KeyField, number>;
    return {
      source: name,
      active,
      queued: Number(r.queued ?? 0),
      done: Number(r.done ?? 0),
      failed: failedBySource.get(name) ?? 0,
      layout_changed: layoutBySource.get(name) ?? 0,
      off_market_after_misses: Number(r.off_market_after_misses ?? 0),
      missing,
      coverage,
    };
  });
}
