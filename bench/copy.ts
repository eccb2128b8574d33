/**
 * Loads generated properties with `COPY … FROM STDIN` (text format) into the real schema: the
 * `properties` row plus its `property_sources` row, as the ingest pipeline would leave them.
 * Generated columns (city_key, price_per_sqm, search_tsv) are computed by Postgres during the COPY.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { BenchProperty } from "./generator.ts";

export const PROPERTY_COLUMNS = [
  "id",
  "address_hash",
  "primary_source",
  "quality_score",
  "missing_fields",
  "property_type",
  "listing_type",
  "status",
  "title",
  "description",
  "street",
  "city",
  "state",
  "postal_code",
  "country",
  "address_full",
  "location",
  "location_precision",
  "bedrooms",
  "bathrooms",
  "parking_spaces",
  "area_living_sqm",
  "area_land_sqm",
  "year_built",
  "price_minor",
  "currency",
  "sold_price_minor",
  "listed_at",
  "sold_at",
  "created_at",
  "updated_at",
  "last_seen_at",
  "features",
  "attributes",
] as const;

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
  const values: unknown[] = [
    p.id,
    p.addressHash,
    p.source,
    Math.round((1 - missing.length / KEY_FIELDS.length) * 100) / 100,
    pgArray(missing),
    p.propertyType,
    p.listingType,
    p.status,
    p.title,
    p.description,
    p.street,
    p.city,
    p.state,
    p.postalCode,
    p.country,
    addressFull,
    p.lat === null ? null : `SRID=4326;POINT(${p.lng} ${p.lat})`,
    p.lat === null ? null : "source",
    p.bedrooms,
    p.bathrooms,
    p.parkingSpaces,
    p.areaLivingSqm,
    p.areaLandSqm,
    p.yearBuilt,
    p.priceMinor,
    p.currency,
    sold ? p.priceMinor : null,
    p.listedAt,
    sold ? p.updatedAt : null,
    p.listedAt,
    p.updatedAt,
    p.updatedAt,
    pgArray(p.features),
    p.attributes,
  ];
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
