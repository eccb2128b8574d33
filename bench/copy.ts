/**
 * Loads generated properties with `COPY … FROM STDIN` (text format) into the real schema: the
 * `properties` row plus its `property_sources` row, as the ingest pipeline would leave them.
 * Generated columns (city_key, price_per_sqm, search_tsv) are computed by Postgres during the COPY.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { getTableColumns } from "drizzle-orm";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { properties } from "../db/schema.ts";
import { FACT_COLUMNS } from "../workers/src/pkg/properties/columns.ts";
import type { BenchProperty } from "./generator.ts";

const columns = getTableColumns(properties);

/** Every column COPY writes: the table's own, in schema order; Postgres computes the generated ones. */
type CopyKey = keyof typeof properties.$inferInsert;
const COPY_KEYS = (Object.keys(columns) as Array<keyof typeof columns>).filter(
  (k): k is CopyKey => columns[k].generated === undefined,
);
export const PROPERTY_COLUMNS = COPY_KEYS.map((k) => columns[k].name);

const SOURCE_COLUMNS = ["property_id", "source", "source_listing_id", "source_url", "payload_hash"] as const;

/** One value in COPY text format: \N for NULL; backslash, tab, newline and CR escaped. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  const s = value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  return s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

function pgArray(items: string[]): string {
  return `{${items.map((i) => `"${i.replace(/(["\\])/g, "\\$1")}"`).join(",")}}`;
}

const KEY_FIELDS = ["price", "bedrooms", "bathrooms", "area_living_sqm", "location", "street", "year_built"] as const;

function missingFields(p: BenchProperty): string[] {
  const present: Record<(typeof KEY_FIELDS)[number], boolean> = {
    price: p.priceMinor !== null,
    bedrooms: p.bedrooms !== null,
    bathrooms: p.bathrooms !== null,
    area_living_sqm: p.areaLivingSqm !== null,
    location: p.lat !== null,
    street: p.street !== null,
    year_built: p.yearBuilt !== null,
  };
  return KEY_FIELDS.filter((f) => !present[f]);
}

export function propertyCopyLine(p: BenchProperty): string {
  const missing = missingFields(p);
  const sold = p.status === "sold" || p.status === "leased";
  const addressFull = [p.street, p.city, p.state, p.postalCode].filter(Boolean).join(", ");
  const row: Record<CopyKey, unknown> = {
    id: p.id,
    addressHash: p.addressHash,
    primarySource: p.source,
    qualityScore: Math.round((1 - missing.length / KEY_FIELDS.length) * 100) / 100,
    missingFields: pgArray(missing),
    propertyType: p.propertyType,
    propertySubtype: null,
    listingType: p.listingType,
    status: p.status,
    title: p.title,
    description: p.description,
    street: p.street,
    unit: null,
    city: p.city,
    state: p.state,
    postalCode: p.postalCode,
    country: p.country,
    addressFull,
    location: p.lat === null ? null : `SRID=4326;POINT(${p.lng} ${p.lat})`,
    locationPrecision: p.lat === null ? null : "source",
    ...Object.fromEntries(FACT_COLUMNS.map((k) => [k, p[k]])),
    priceMinor: p.priceMinor,
    currency: p.currency,
    soldPriceMinor: sold ? p.priceMinor : null,
    listedAt: p.listedAt,
    soldAt: sold ? p.updatedAt : null,
    createdAt: p.listedAt,
    updatedAt: p.updatedAt,
    lastSeenAt: p.updatedAt,
    enrichmentQueuedAt: null,
    enrichedAt: null,
    sourceMisses: 0,
    thumbnailUrl: null,
    features: pgArray(p.features),
    attributes: p.attributes,
  } as Record<CopyKey, unknown>;
  const values = COPY_KEYS.map((k) => row[k]);
  return `${values.map(copyValue).join("\t")}\n`;
}

export function sourceCopyLine(p: BenchProperty): string {
  return `${[p.id, p.source, p.sourceListingId, p.sourceUrl, p.addressHash].map(copyValue).join("\t")}\n`;
}

async function copyLines(
  client: pg.Client,
  table: string,
  columns: readonly string[],
  chunks: AsyncIterable<string> | Iterable<string>,
) {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN`));
  await pipeline(Readable.from(chunks), stream);
}

/**
 * COPYs properties [from, to) of a generator into `properties`, then their `property_sources` rows
 * (collected while streaming, so each property is generated once). Returns the row count.
 */
export async function copyProperties(
  client: pg.Client,
  from: number,
  to: number,
  generate: (n: number) => BenchProperty,
): Promise<number> {
  const sourceChunks: string[] = [];
  const chunkRows = 500;
  function* propertyChunks() {
    for (let n = from; n < to; n += chunkRows) {
      let chunk = "";
      let sources = "";
      for (let k = n; k < Math.min(to, n + chunkRows); k++) {
        const p = generate(k);
        chunk += propertyCopyLine(p);
        sources += sourceCopyLine(p);
      }
      sourceChunks.push(sources);
      yield chunk;
    }
  }
  await copyLines(client, "properties", PROPERTY_COLUMNS, propertyChunks());
  await copyLines(client, "property_sources", SOURCE_COLUMNS, sourceChunks);
  return to - from;
}
