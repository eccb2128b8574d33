/**
 * The SQL of ingest. Every statement is set-based: a whole batch travels as one jsonb parameter and is
 * expanded with `jsonb_to_recordset`, so a batch costs the same few round trips whatever its size:
 * one lookup of identical re-submissions (before any transaction), then inside one transaction per
 * batch one locking lookup of the target properties and one statement that writes properties,
 * sources, images and events together.
 */
import type { PoolClient } from "@neondatabase/serverless";
import type { Listing } from "../../../../connectors/contract/ingest/listing";
import type { Env } from "../../env";
import { getSql } from "../db";
import type { LockKey } from "./address-locks";
import { INGEST_COLUMNS, type IngestColumn } from "./columns";
import type { NearCandidate } from "./near";
import type { EventType, PropertyEvent, PropertyRecord } from "./record";
import type { SourceReport } from "./status";

type SourceKey = { idx: number; src: string; lid: string };

/** One item to look up as a possible identical re-submission: its source listing and payload hash. */
export type UnchangedLookup = SourceKey & { ph: string };

export const UNCHANGED_SQL = `SELECT u.idx, ps.property_id
  FROM jsonb_to_recordset($1::jsonb) AS u(idx int, src text, lid text, ph text)
  JOIN property_sources ps ON ps.source = u.src AND ps.source_listing_id = u.lid AND ps.payload_hash = u.ph`;

/**
 * Items whose (source, source_listing_id) is stored with the same payload hash: identical
 * re-submissions. One HTTP round trip, no locks, no transaction.
 */
export async function findUnchanged(env: Env, keys: UnchangedLookup[]): Promise<Map<number, string>> {
  if (keys.length === 0) return new Map();
  const rows = (await getSql(env).query(UNCHANGED_SQL, [JSON.stringify(keys)])) as Array<{ idx: number; property_id: string }>;
  return new Map(rows.map((r) => [r.idx, r.property_id]));
}

/**
 * Serialises concurrent batches that carry the same source listing or what may be the same address (a
 * connector and the enrichment loop, say): without it both could create a property for something not
 * stored yet. Transaction-scoped advisory locks, exclusive or shared (address-locks.ts), taken in key
 * order so two batches cannot deadlock on them. A statement of its own: the lookup that follows must
 * take its snapshot after the locks are held.
 */
export async function lockKeys(client: PoolClient, keys: LockKey[]): Promise<void> {
  if (keys.length === 0) return;
  await client.query(
    `SELECT count(CASE WHEN shared THEN pg_advisory_xact_lock_shared(k)::text ELSE pg_advisory_xact_lock(k)::text END)
       FROM (SELECT hashtextextended(key, 0) AS k, bool_and(shared) AS shared
               FROM unnest($1::text[], $2::boolean[]) AS t(key, shared) GROUP BY 1 ORDER BY 1) keys`,
    [keys.map((k) => k.key), keys.map((k) => k.shared)],
  );
}

export type Candidate = {
  idx: number;
  /** The property this item's source row points at, if the source row exists. */
  sourcePropertyId: string | null;
  payloadHash: string | null;
  /** The date the latest report stored for this item's source listing speaks of (see `reportedAt`). */
  sourceReportedAt: string | null;
  record: PropertyRecord;
  /** The latest report of each of the property's source listings. */
  reports: SourceReport[];
};

type CandidateRow = RecordRow & {
  idx: number;
  src_pid: string | null;
  payload_hash: string | null;
  src_reported_at: string | null;
};

/** A row of RECORD_COLUMNS: the ingested columns by SQL name (see `toRecord`), the images and the reports. */
type RecordRow = {
  id: string | null;
  /** The latest report of each source listing of the property (see status.ts). */
  reports: SourceReport[];
  images: string[];
  [column: string]: unknown;
};

/**
 * The columns of a property as the merge reads it (`p` is `properties`); `toRecord` maps a row of them.
 * `reports` leaves out the report of the incoming item's own source listing (`u.src`, `u.lid`): the merge
 * replaces that one with the item itself (merge.ts), and reading it would unpack (de-TOAST) the stored
 * payload of every re-submitted listing for nothing.
 */
const RECORD_COLUMNS = `${INGEST_COLUMNS.map(readColumn).join(", ")},
            ARRAY(SELECT i.url FROM property_images i WHERE i.property_id = p.id ORDER BY i.position, i.url) AS images,
            coalesce((SELECT json_agg(json_build_object('source', s.source, 'listingId', s.source_listing_id,
                       'status', s.payload->>'status', 'priceMinor', (s.payload->>'priceMinor')::float8,
                       'currency', s.payload->>'currency', 'soldAt', s.payload->>'soldAt', 'seenAt', s.last_seen_at))
                        FROM property_sources s
                       WHERE s.property_id = p.id AND (s.source, s.source_listing_id) IS DISTINCT FROM (u.src, u.lid)),
                     '[]'::json) AS reports`;

/** How the merge reads a column (see `ColumnKind`). */
function readColumn(c: IngestColumn): string {
  switch (c.kind) {
    case "location":
      return `ST_Y(p.${c.name}::geometry) AS lat, ST_X(p.${c.name}::geometry) AS lng`;
    case "bigint":
      return `p.${c.name}::float8 AS ${c.name}`;
    case "time":
      return `round(extract(epoch FROM p.${c.name}) * 1000)::float8 AS ${c.name}`;
    default:
      return `p.${c.name}`;
  }
}

function toRecord(r: RecordRow): PropertyRecord {
  const record: Record<string, unknown> = { images: r.images };
  for (const c of INGEST_COLUMNS) {
    const v = r[c.name];
    if (c.kind === "location") record[c.key] = r.lat == null || r.lng == null ? null : { lat: r.lat, lng: r.lng };
    else if (c.kind === "time") record[c.key] = v == null ? null : new Date(Number(v)).toISOString();
    else record[c.key] = v;
  }
  return record as PropertyRecord;
}

/**
 * The stored properties each item could merge into (by address hash, or by its source row), locked
 * for the rest of the transaction in id order so concurrent batches cannot deadlock on them.
 */
export async function lockCandidates(client: PoolClient, keys: Array<SourceKey & { h: string | null }>): Promise<Candidate[]> {
  if (keys.length === 0) return [];
  const { rows } = await client.query<CandidateRow>(
    `WITH u AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS u(idx int, h text, src text, lid text)),
     -- Two index lookups rather than one OR-join, which the planner cannot serve from the indexes.
     s AS (SELECT u.idx, ps.property_id, ps.payload_hash, coalesce(ps.payload->>'soldAt', ps.payload->>'listedAt') AS reported_at
             FROM u JOIN property_sources ps ON ps.source = u.src AND ps.source_listing_id = u.lid),
     c AS (SELECT u.idx, p.id FROM u JOIN properties p ON p.address_hash = u.h
           UNION
           SELECT idx, property_id FROM s)
     SELECT c.idx, s.property_id AS src_pid, s.payload_hash, s.reported_at AS src_reported_at, ${RECORD_COLUMNS}
       FROM c
       JOIN u ON u.idx = c.idx
       JOIN properties p ON p.id = c.id
       LEFT JOIN s ON s.idx = c.idx
      ORDER BY p.id
        FOR UPDATE OF p`,
    [JSON.stringify(keys)],
  );
  return rows.map((r) => ({
    idx: r.idx,
    sourcePropertyId: r.src_pid,
    payloadHash: r.payload_hash,
    sourceReportedAt: r.src_reported_at,
    record: toRecord(r),
    reports: r.reports,
  }));
}

/** An item whose exact key missed, as identity's second step and the postcode backfill need it. */
export type NearProbe = {
  idx: number;
  /** The item's source listing (its own report is left out of the candidates' `reports`, see RECORD_COLUMNS). */
  source: string;
  listingId: string;
  country: string;
  /** The normalised street line when the address is street level (else no candidates are looked up). */
  street: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
};

export type NearLookup = {
  /** Per probe: the one postcode the gazetteer gives for its locality (null: none or several). */
  inferredPostalCode: Map<number, string>;
  /** Per probe with candidates (the only ones that compare localities): the localities the gazetteer gives for its postcode (folded). */
  postcodeLocalities: Map<number, string[]>;
  candidates: Map<number, NearCandidate[]>;
};

/**
 * Identity's second step, for the items of a round whose exact key missed (see near.ts): in one
 * statement, the stored properties at the same house number on the same street name in the same
 * country (locked in id order like `lockCandidates`, so one can be merged into), the gazetteer's
 * localities of each side's postcode, and for items without a postcode the one postcode of their
 * locality, if the gazetteer has exactly one (in the item's state, when it names one).
 */
export async function lockNearCandidates(client: PoolClient, probes: NearProbe[]): Promise<NearLookup> {
  const lookup: NearLookup = { inferredPostalCode: new Map(), postcodeLocalities: new Map(), candidates: new Map() };
  if (probes.length === 0) return lookup;
  const { rows } = await client.query<NearRow>(NEAR_SQL, [
    JSON.stringify(
      probes.map((p) => ({
        idx: p.idx,
        src: p.source,
        lid: p.listingId,
        country: p.country,
        street: p.street,
        city: p.city,
        state: p.state,
        pc: p.postalCode,
      })),
    ),
  ]);
  for (const r of rows) {
    if (r.inferred) lookup.inferredPostalCode.set(r.idx, r.inferred);
    if (r.id === null) continue;
    lookup.postcodeLocalities.set(r.idx, r.probe_localities);
    const list = lookup.candidates.get(r.idx) ?? [];
    list.push({ record: toRecord(r), reports: r.reports, postcodeLocalities: r.candidate_localities });
    lookup.candidates.set(r.idx, list);
  }
  return lookup;
}

/** A row of NEAR_SQL; in a probe's row without candidates, `id` and the other columns of `RecordRow` are null. */
type NearRow = RecordRow & { idx: number; inferred: string | null; probe_localities: string[]; candidate_localities: string[] };

/** The gazetteer's localities of a postcode (folded like `locality_key`). */
function postcodeLocalities(country: string, postcode: string): string {
  return `ARRAY(SELECT DISTINCT g.locality_key FROM gazetteer_places g WHERE g.country = ${country} AND g.postal_code = ${postcode})`;
}

/**
 * A postcode as `postcodeKey` compares it (spaces dropped, a US ZIP+4 by its ZIP), case-folded, in SQL.
 * It drops every character JavaScript's `\s` matches, so any two postcodes `postcodeKey` calls equal are
 * equal here too: the statement may keep a candidate the rules then refuse, never lose one they accept.
 */
function postcodeKeySql(code: string, country: string): string {
  const compact = `upper(regexp_replace(${code}, '[[:space:]\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+', '', 'g'))`;
  return `CASE WHEN ${country} = 'US' THEN left(${compact}, 5) ELSE ${compact} END`;
}

/**
 * One row per (probe, candidate), and one row of nulls for a probe without candidates only when the
 * gazetteer infers its postcode: most probes of a batch of new records have neither, and answering nothing
 * for them spares Postgres and the Worker a row of ~45 columns each. A probe's own postcode localities are
 * looked up only beside a candidate, the only place they are compared. The candidates are locked in their
 * own query (a lock cannot sit on the outer join's nullable side). A stored property whose postcode differs
 * from the probe's is a different place by the first rule of `samePlace` (near.ts), so it is left out here,
 * before it is read and locked: a common street line ("12 High Street") is in many towns, and reading and
 * locking all of them made every miss pay for rows that could never be its match.
 */
export const NEAR_SQL = `
WITH u AS (SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS u(idx int, src text, lid text, country char(2), street text, city text, state text, pc text)),
locked AS (
  SELECT u.idx AS candidate_of, ${postcodeLocalities("p.country", "p.postal_code")} AS candidate_localities, ${RECORD_COLUMNS}
    FROM u JOIN properties p ON p.country = u.country AND street_identity_key(p.street) = street_identity_key(u.street)
     AND (coalesce(btrim(u.pc), '') = '' OR coalesce(btrim(p.postal_code), '') = ''
          OR ${postcodeKeySql("p.postal_code", "p.country")} = ${postcodeKeySql("u.pc", "u.country")})
   ORDER BY p.id
     FOR UPDATE OF p
)
SELECT u.idx, i.inferred,
       CASE WHEN l.id IS NOT NULL THEN ${postcodeLocalities("u.country", "u.pc")} END AS probe_localities,
       l.*
  FROM u
  LEFT JOIN locked l ON l.candidate_of = u.idx
  LEFT JOIN LATERAL (
    SELECT min(g.postal_code) AS inferred FROM gazetteer_places g
     WHERE u.pc IS NULL AND g.country = u.country AND g.locality_key = lower(f_unaccent(u.city)) AND g.postal_code IS NOT NULL
       AND (u.state IS NULL OR g.region_code IS NULL OR upper(g.region_code) = upper(u.state))
    HAVING count(DISTINCT g.postal_code) = 1) i ON true
 WHERE l.id IS NOT NULL OR i.inferred IS NOT NULL`;

export type SourceRow = { propertyId: string; listing: Listing; payloadHash: string };
export type ImageRow = { propertyId: string; url: string; position: number; source: string };

export type WriteSet = {
  properties: PropertyRecord[];
  sources: SourceRow[];
  images: ImageRow[];
  events: PropertyEvent[];
};

/** The recordset definition of the batch's properties: each ingested column, the location as lat/lng. */
const PROPERTY_COLUMNS = INGEST_COLUMNS.map((c) =>
  c.kind === "location" ? "lat float8, lng float8" : `${c.name} ${c.recordsetType}`,
).join(", ");

/** Set by the statement itself on every write. */
const TOUCHED = ["updated_at", "last_seen_at"];

/** Inserted: every ingested column, then the touch times. */
const INSERT_COLUMNS = [...INGEST_COLUMNS.map((c) => c.name), ...TOUCHED].join(", ");
const INSERT_VALUES = [
  ...INGEST_COLUMNS.map((c) =>
    c.kind === "location"
      ? "CASE WHEN lng IS NULL OR lat IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography END"
      : c.name,
  ),
  ...TOUCHED.map(() => "now()"),
].join(", ");

/** Columns a merge may change: everything but `id` and `primary_source` (and `created_at`, never written here). */
const UPDATABLE = [...INGEST_COLUMNS.map((c) => c.name).filter((n) => n !== "id" && n !== "primary_source"), ...TOUCHED];

export const WRITE_SQL = `
WITH r AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${PROPERTY_COLUMNS})),
props AS (
  INSERT INTO properties AS p (${INSERT_COLUMNS})
  SELECT ${INSERT_VALUES}
  FROM r
  ON CONFLICT (id) DO UPDATE SET ${UPDATABLE.map((c) => `${c} = EXCLUDED.${c}`).join(", ")}
  RETURNING 1
),
srcs AS (
  INSERT INTO property_sources AS ps (property_id, source, source_listing_id, source_url, payload_hash, payload)
  SELECT property_id, source, source_listing_id, source_url, payload_hash, payload
    FROM jsonb_to_recordset($2::jsonb) AS s(property_id uuid, source text, source_listing_id text, source_url text,
                                            payload_hash text, payload jsonb)
  ON CONFLICT (source, source_listing_id) DO UPDATE SET property_id = EXCLUDED.property_id,
    source_url = EXCLUDED.source_url, payload_hash = EXCLUDED.payload_hash, payload = EXCLUDED.payload,
    last_seen_at = now()
  RETURNING 1
),
imgs AS (
  INSERT INTO property_images (property_id, url, position, source)
  SELECT property_id, url, position, source
    FROM jsonb_to_recordset($3::jsonb) AS i(property_id uuid, url text, position int, source text)
  ON CONFLICT (property_id, url) DO NOTHING
  RETURNING 1
),
evts AS (
  INSERT INTO property_events (property_id, type, old, new, source, occurred_at)
  SELECT property_id, type, old, new, source, occurred_at
    FROM jsonb_to_recordset($4::jsonb) AS e(property_id uuid, type text, old jsonb, new jsonb, source text,
                                            occurred_at timestamptz)
  RETURNING 1
)
SELECT (SELECT count(*) FROM props)::int AS properties, (SELECT count(*) FROM srcs)::int AS sources,
       (SELECT count(*) FROM imgs)::int AS images, (SELECT count(*) FROM evts)::int AS events`;

/** A record as a row of the batch's recordset (PROPERTY_COLUMNS). */
function toRow(p: PropertyRecord): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const record = p as unknown as Record<string, unknown>;
  for (const c of INGEST_COLUMNS) {
    if (c.kind === "location") {
      row.lat = p.location?.lat ?? null;
      row.lng = p.location?.lng ?? null;
    } else row[c.name] = record[c.key];
  }
  return row;
}

/** Writes a round of merged properties, their source rows, new images and events in one statement. */
export async function writeSet(client: PoolClient, set: WriteSet): Promise<void> {
  if (set.properties.length + set.sources.length + set.images.length + set.events.length === 0) return;
  const properties = set.properties.map(toRow);
  const sources = set.sources.map((s) => ({
    property_id: s.propertyId,
    source: s.listing.source,
    source_listing_id: s.listing.sourceListingId,
    source_url: s.listing.sourceUrl,
    payload_hash: s.payloadHash,
    payload: s.listing,
  }));
  const images = set.images.map((i) => ({ property_id: i.propertyId, url: i.url, position: i.position, source: i.source }));
  const events = set.events.map((e) => ({
    property_id: e.propertyId,
    type: e.type satisfies EventType,
    old: e.old,
    new: e.new,
    source: e.source,
    occurred_at: e.occurredAt,
  }));
  await client.query(WRITE_SQL, [
    JSON.stringify(properties),
    JSON.stringify(sources),
    JSON.stringify(images),
    JSON.stringify(events),
  ]);
}

/**
 * Marks a property withdrawn and writes its `withdrawn` event, in one statement. Returns the status it
 * had before, or null when there is no such property.
 */
export async function withdraw(env: Env, id: string, source: string): Promise<string | null> {
  const rows = (await getSql(env).query(
    `WITH old AS (SELECT id, status FROM properties WHERE id = $1 FOR UPDATE),
     upd AS (UPDATE properties p SET status = 'withdrawn', updated_at = now()
               FROM old WHERE p.id = old.id AND old.status <> 'withdrawn' RETURNING p.id),
     ev AS (INSERT INTO property_events (property_id, type, old, new, source)
              SELECT old.id, 'withdrawn', jsonb_build_object('status', old.status), '{"status":"withdrawn"}'::jsonb, $2
                FROM old WHERE old.status <> 'withdrawn' RETURNING 1)
     SELECT status FROM old`,
    [id, source],
  )) as Array<{ status: string }>;
  return rows[0]?.status ?? null;
}
