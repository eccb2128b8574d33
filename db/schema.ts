/**
 * Pillow's database schema (drizzle). Everything that is searched, filtered, sorted or aggregated is a
 * typed column; the long tail of source attributes lives in `properties.attributes` (jsonb).
 *
 * Prices are stored in minor units (cents) with their ISO 4217 currency; areas in m².
 * `location` is geography(Point,4326): metres for radius/KNN; a geometry expression index serves
 * map viewports (see docs: "geography for radius, geometry for viewports").
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  char,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** geography(Point,4326) written as EWKT and read back as `{lng, lat}`; drizzle's own type drops the SRID. */
export const geographyPoint = customType<{ data: { lng: number; lat: number }; driverData: string }>({
  dataType() {
    return "geography(Point,4326)";
  },
  toDriver(value) {
    return `SRID=4326;POINT(${value.lng} ${value.lat})`;
  },
});

const tsvector = customType<{ data: string }>({
  dataType() {
    return "tsvector";
  },
});

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

/*
 * Indexes and settings that live only in hand-written migrations, because drizzle-kit cannot express
 * them (INCLUDE columns, indexes on SQL functions defined in migrations, index storage and table
 * settings, materialised views, tables created by hand). Why each exists: docs/query-design.md
 * "Indexes that live in migrations".
 *
 * - properties_stats_idx (0003): the key below plus INCLUDE of every column the live stats read.
 * - properties (0003): parallel_workers = 0; the database: jit = off.
 * - properties_status_listed_idx, properties_status_updated_idx (0005): the keys below plus INCLUDE (lng, lat).
 * - properties_status_cell_listed_idx (0005, recreated by 0013): (status, geo_cell(lng, lat), listed_at DESC,
 *   id DESC) INCLUDE (lng, lat, price_minor, currency, listing_type, property_type, location_precision);
 *   `geo_cell` is a function of migration 0005.
 * - properties_search_gin (0008): gin_pending_list_limit = 512.
 * - properties_status_price_bucket_lat_idx (0016): (status, tile_price_bucket(price_minor), lat)
 *   INCLUDE (lng, price_minor, listing_type, property_type, country, currency).
 * - property_sources_property_source_seen_idx (0007): the key below plus INCLUDE (source_url).
 * - properties_street_identity_idx (0010): on `street_identity_key(street)`, a function of that migration.
 * - property_stats_city (0006, redefined by 0016) and places (0013): materialised views with their
 *   unique indexes, refreshed by the cron.
 * - tile_cells, tile_cell_changes (0016): the map-tile rollup, kept by statement triggers on properties.
 * - saved_searches, saved_search_predicates (GiST indexes on area and price), saved_search_events,
 *   webhook_deliveries (0015); the predicate rows' filter columns, events as one row per change naming
 *   their searches (GIN on `saved_search_ids`), deliveries keyed by search and event (0021).
 */
export const properties = pgTable(
  "properties",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Hash of the normalised street-level address; null when the address is coarser than a street. */
    addressHash: text("address_hash"),
    primarySource: text("primary_source").notNull(),
    qualityScore: real("quality_score").notNull().default(0),
    missingFields: text("missing_fields").array().notNull().default(sql`'{}'::text[]`),
    propertyType: text("property_type").notNull().default("other"),
    propertySubtype: text("property_subtype"),
    listingType: text("listing_type").notNull().default("sale"),
    status: text("status").notNull().default("active"),
    title: text("title"),
    description: text("description"),
    street: text("street"),
    unit: text("unit"),
    city: text("city"),
    /** lower(unaccent(city)): the key every city filter, facet and stats group uses. */
    cityKey: text("city_key").generatedAlwaysAs(sql`lower(f_unaccent(city))`),
    state: text("state"),
    postalCode: text("postal_code"),
    country: char("country", { length: 2 }).notNull(),
    addressFull: text("address_full"),
    location: geographyPoint("location"),
    /**
     * The location's plain coordinates, kept by Postgres: read paths return them without a cast per
     * row, and the newest-first date indexes carry them so a map viewport is tested on the index
     * tuple for a fraction of the cost of a geometry test (see workers/src/pkg/search/query.ts).
     */
    lng: doublePrecision("lng").generatedAlwaysAs(sql`ST_X(location::geometry)`),
    lat: doublePrecision("lat").generatedAlwaysAs(sql`ST_Y(location::geometry)`),
    /** Where the coordinates came from: source, geocoder (rooftop/street/postcode/locality). Higher wins. */
    locationPrecision: text("location_precision"),
    bedrooms: smallint("bedrooms"),
    bathrooms: real("bathrooms"),
    parkingSpaces: smallint("parking_spaces"),
    areaLivingSqm: real("area_living_sqm"),
    areaLandSqm: real("area_land_sqm"),
    yearBuilt: smallint("year_built"),
    priceMinor: bigint("price_minor", { mode: "number" }),
    currency: char("currency", { length: 3 }).notNull(),
    pricePerSqm: real("price_per_sqm").generatedAlwaysAs(
      sql`CASE WHEN area_living_sqm > 0 AND price_minor IS NOT NULL THEN (price_minor / 100.0 / area_living_sqm)::real END`,
    ),
    soldPriceMinor: bigint("sold_price_minor", { mode: "number" }),
    listedAt: timestamp("listed_at", { withTimezone: true }).notNull().defaultNow(),
    soldAt: timestamp("sold_at", { withTimezone: true }),
    ...timestamps,
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    enrichmentQueuedAt: timestamp("enrichment_queued_at", { withTimezone: true }),
    enrichedAt: timestamp("enriched_at", { withTimezone: true }),
    /** Consecutive enrichment runs that found the listing gone at its source. */
    sourceMisses: integer("source_misses").notNull().default(0),
    thumbnailUrl: text("thumbnail_url"),
    features: text("features").array().notNull().default(sql`'{}'::text[]`),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
    /** Title and address weigh most; the description is searched too (see docs on ingest cost). */
    searchTsv: tsvector("search_tsv").generatedAlwaysAs(
      sql`setweight(to_tsvector('simple', f_unaccent(coalesce(title,'') || ' ' || coalesce(street,'') || ' ' || coalesce(city,'') || ' ' || coalesce(postal_code,''))), 'A') || setweight(to_tsvector('simple', f_unaccent(left(coalesce(description,''), 2000))), 'B')`,
    ),
  },
  (t) => [
    uniqueIndex("properties_address_hash_key").on(t.addressHash),
    index("properties_location_gix").using("gist", t.location),
    index("properties_location_geom_gix").using("gist", sql`(${t.location}::geometry)`),
    // Sort indexes: each search sort walks one of these, keyset `(key, id)` in one direction (see
    // docs/api-search.md "Sorts and cursors"). Nullable keys are walked as two segments (non-null, null).
    // The two date indexes are recreated by migration 0005 with INCLUDE (lng, lat): a viewport sorted
    // newest first walks them index-only (drizzle-kit cannot express INCLUDE).
    index("properties_status_listed_idx").on(t.status, t.listedAt.desc(), t.id.desc()),
    index("properties_status_updated_idx").on(t.status, t.updatedAt.desc(), t.id.desc()),
    index("properties_price_id_idx").on(t.priceMinor, t.id),
    index("properties_price_per_sqm_id_idx").on(t.pricePerSqm, t.id),
    // `bedrooms` trails the key so a `min_bedrooms` filter is checked on the index tuple: cities whose
    // listings have no bedroom counts are skipped without heap visits (docs/query-design.md "P9").
    index("properties_city_status_price_idx").on(t.cityKey, t.status, t.priceMinor, t.id, t.bedrooms),
    index("properties_search_gin").using("gin", t.searchTsv),
    index("properties_features_gin").using("gin", t.features),
    // Stats: recreated by migration 0003 with INCLUDE (city, property_type, postal_code, currency, price_minor,
    // price_per_sqm, listed_at, sold_at, id) so the stats query is an index-only scan (docs/query-design.md
    // "P11"); drizzle cannot express INCLUDE, the key columns below are what it tracks.
    index("properties_stats_idx").on(t.country, t.status, t.listingType, t.cityKey),
    index("properties_enrichment_idx").on(t.status, t.enrichmentQueuedAt),
    // Identity's second step (docs/ingest.md "Identity"): the same house number on the same street name,
    // whatever the postcode, locality or street type; `street_identity_key` is defined in migration 0010.
    index("properties_street_identity_idx").on(t.country, sql`street_identity_key(${t.street})`),
  ],
);

export const propertySources = pgTable(
  "property_sources",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    propertyId: uuid("property_id")
      .notNull()
      .references(() => properties.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    sourceListingId: text("source_listing_id").notNull(),
    sourceUrl: text("source_url").notNull(),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    /** Hash of the normalised payload last received: identical re-submissions are skipped cheaply. */
    payloadHash: text("payload_hash").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex("property_sources_source_listing_key").on(t.source, t.sourceListingId),
    // Also answers "the primary source's latest URL" for each row of a search page, index-only: the
    // migration adds INCLUDE (source_url), which drizzle-kit cannot express.
    index("property_sources_property_source_seen_idx").on(t.propertyId, t.source, t.lastSeenAt.desc()),
  ],
);

export const propertyImages = pgTable(
  "property_images",
  {
    propertyId: uuid("property_id")
      .notNull()
      .references(() => properties.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    position: integer("position").notNull().default(0),
    source: text("source"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("property_images_property_url_key").on(t.propertyId, t.url)],
);

export const propertyEvents = pgTable(
  "property_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    propertyId: uuid("property_id")
      .notNull()
      .references(() => properties.id, { onDelete: "cascade" }),
    /** listed | price_change | status_change | sold | relisted | withdrawn */
    type: text("type").notNull(),
    old: jsonb("old"),
    new: jsonb("new"),
    source: text("source"),
    /** When Pillow observed it (the write). */
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** When it happened at the source: a sale's date, a listing's date; else when it was observed. */
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("property_events_property_at_idx").on(t.propertyId, t.at),
    // Price drops of the last 30 days (stats) count by the date the drop happened.
    index("property_events_type_occurred_idx").on(t.type, t.occurredAt),
  ],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    /** user | service | admin */
    role: text("role").notNull().default("user"),
    ...timestamps,
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 of the token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull(),
    /** All tokens of one login share a family: reuse of a rotated token revokes the whole family. */
    familyId: uuid("family_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("refresh_tokens_hash_key").on(t.tokenHash), index("refresh_tokens_family_idx").on(t.familyId)],
);

/**
 * Identities at OpenID Connect providers linked to an account (docs/auth.md "OpenID Connect"): the
 * provider's `iss` and `sub` name the person for good (OIDC Core §5.7; an email may change hands), so
 * sign-in finds the account by them. One account may have several; deleting the account removes them.
 */
export const oidcIdentities = pgTable(
  "oidc_identities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    /** The configured provider id it was linked through (`OIDC_ISSUER_<ID>`), for display. */
    provider: text("provider").notNull(),
    /** The email the provider asserted at the last sign-in. */
    email: text("email"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("oidc_identities_issuer_subject_key").on(t.issuer, t.subject),
    index("oidc_identities_user_idx").on(t.userId),
  ],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Owner; null for service tokens minted from the command line. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 hex of the whole token; lookups go by this hash only. */
    tokenHash: text("token_hash").notNull(),
    /** First characters, for display ("pil_AbC…"). */
    prefix: text("prefix").notNull(),
    /** user | service | admin */
    role: text("role").notNull(),
    /** Connector name for service tokens. */
    service: text("service"),
    /**
     * Service tokens: the source names (as items write them) it may ingest under; `{*}` for tools that
     * import many sources. Null or empty: none. Other roles ignore it (docs/auth.md "Service tokens").
     */
    sources: text("sources").array(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("api_tokens_hash_key").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId)],
);

export const failedEnrichments = pgTable(
  "failed_enrichments",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    propertyId: uuid("property_id"),
    /** Which queue the message died on (enrichment, crawl). */
    queue: text("queue").notNull(),
    /** The queue message id: a redelivered dead letter is stored once. */
    messageId: text("message_id"),
    message: jsonb("message").notNull(),
    reason: text("reason").notNull(),
    attempts: integer("attempts").notNull().default(0),
    resolved: boolean("resolved").notNull().default(false),
    failedAt: timestamp("failed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("failed_enrichments_property_idx").on(t.propertyId),
    uniqueIndex("failed_enrichments_queue_message_key").on(t.queue, t.messageId),
  ],
);

/**
 * The offline geocoder's gazetteer: postcode / locality centroids (low precision). Loaded from openly
 * licensed files by `db/gazetteer.ts` (AU: GeoNames, CC BY), never read from files inside the Worker.
 */
export const gazetteerPlaces = pgTable(
  "gazetteer_places",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    country: char("country", { length: 2 }).notNull(),
    postalCode: text("postal_code"),
    locality: text("locality").notNull(),
    localityKey: text("locality_key").generatedAlwaysAs(sql`lower(f_unaccent(locality))`),
    /** State / region full name and abbreviation as the source gives them. */
    region: text("region"),
    regionCode: text("region_code"),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    /** Which dataset the row came from (its licence and attribution are in the docs). */
    source: text("source").notNull(),
  },
  (t) => [
    index("gazetteer_places_country_postcode_idx").on(t.country, t.postalCode),
    index("gazetteer_places_country_locality_idx").on(t.country, t.localityKey),
  ],
);
