/**
 * The geocoding service: parse, then the provider chain. The Nominatim-compatible provider answers
 * first (cached in Redis, within the global budget); when it is not configured, down, over budget or
 * finds nothing, the offline gazetteer answers with a postcode/locality centroid and says why.
 */
import type { Env } from "../../env";
import { log } from "../log";
import { getRedis } from "../redis";
import { takeSlot } from "./budget";
import { gazetteerLookup } from "./gazetteer";
import { nominatimSearch, type Precision, type ProviderHit, ProviderUnavailableError } from "./nominatim";
import { type AddressComponents, formatQuery, parseAddress } from "./parse";
import { COUNTRY_NAMES, type CountryCode } from "./regions";

export type GeocodeStatus = "OK" | "ZERO_RESULTS" | "INVALID_REQUEST" | "PARSE_ERROR";
export type FallbackReason = "provider_not_configured" | "provider_unavailable" | "provider_over_budget" | "provider_no_result";

export type GeocodeResult = {
  status: GeocodeStatus;
  /** `{}` when the input could not be parsed, as the earlier Mill answered (docs/geocoding.md). */
  components: AddressComponents | Record<string, never>;
  raw_input: string;
  location: { lat: number; lng: number } | null;
  precision: Precision | null;
  provider: "nominatim" | "gazetteer" | null;
  /** Set when the gazetteer answered (or was asked) instead of the provider. */
  fallback_reason?: FallbackReason;
  /** Whether the provider's answer came from the cache. */
  cached: boolean;
  /** Why the status is not OK, in words. */
  message?: string;
  /** Data licence notice for the answer's source. */
  attribution?: string;
};

export type GeocodeOptions = {
  country?: CountryCode;
  /** How long to wait for a provider slot before falling back (0 for API requests; the enrichment loop waits). */
  waitForBudgetMs?: number;
};

const OSM_ATTRIBUTION = "Data © OpenStreetMap contributors, ODbL 1.0 (via a Nominatim-compatible geocoder)";
/** Every carried gazetteer source is GeoNames postal codes (`geonames-au`, `geonames-gb`, …; db/gazetteer.ts). */
function gazetteerAttribution(source: string): string | undefined {
  return source.startsWith("geonames-") ? "Postcode and locality centroids © GeoNames (geonames.org), CC BY 4.0" : undefined;
}
const HIT_TTL_S = 30 * 24 * 3600;
const MISS_TTL_S = 24 * 3600;

/** Precision ranks, for "only replace coordinates with better ones". */
export const PRECISION_RANK: Record<string, number> = { locality: 1, postcode: 2, street: 3, source: 4, rooftop: 5 };

function intervalMs(env: Env): number {
  const rps = Number(env.NOMINATIM_MAX_RPS ?? 1);
  return Math.ceil(1000 / (Number.isFinite(rps) && rps > 0 ? rps : 1));
}

async function digest(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

type CacheEntry = { hit: ProviderHit | null };

async function cacheGet(env: Env, key: string): Promise<CacheEntry | null> {
  try {
    return (await getRedis(env).get<CacheEntry>(key)) ?? null;
  } catch {
    return null; // a cache outage costs a provider call, never the answer
  }
}

async function cacheSet(env: Env, key: string, entry: CacheEntry): Promise<void> {
  try {
    await getRedis(env).set(key, entry, { ex: entry.hit ? HIT_TTL_S : MISS_TTL_S });
  } catch {
    // as above
  }
}

/** Fills parts the input left out from the provider's structured answer (never overrides the input). */
function withProviderParts(c: AddressComponents, a: Record<string, string>): AddressComponents {
  const out = { ...c };
  out.city ||= a.city ?? a.town ?? a.village ?? a.suburb ?? "";
  out.state ||= a.state ?? "";
  out.postal_code ||= a.postcode ?? "";
  out.street_name ||= a.road ?? "";
  out.street_number ||= a.house_number ?? "";
  if (!out.country_code && a.country_code) {
    out.country_code = a.country_code.toUpperCase();
    out.country = a.country ?? "";
  }
  return out;
}

type ProviderOutcome = { hit: ProviderHit | null; cached: boolean } | { fallback: FallbackReason };

async function askProvider(env: Env, components: AddressComponents, options: GeocodeOptions): Promise<ProviderOutcome> {
  const base = env.NOMINATIM_URL as string | undefined;
  if (!base) return { fallback: "provider_not_configured" };
  const query = formatQuery(components);
  const key = `pillow:geocode:v1:${await digest(`${base}|${components.country_code}|${query.toLowerCase()}`)}`;
  const cached = await cacheGet(env, key);
  if (cached) return { hit: cached.hit, cached: true };
  const budgetKey = `pillow:geocode:budget:${await digest(base)}`;
  if (!(await takeSlot(env, budgetKey, intervalMs(env), options.waitForBudgetMs ?? 0))) {
    return { fallback: "provider_over_budget" };
  }
  try {
    const hit = await nominatimSearch(env, base, query, components.country_code || undefined);
    await cacheSet(env, key, { hit });
    return { hit, cached: false };
  } catch (err) {
    if (!(err instanceof ProviderUnavailableError)) throw err;
    log(undefined, "warn", { msg: "geocoder unavailable, falling back to the gazetteer", error: err.message });
    return { fallback: "provider_unavailable" };
  }
}

export async function geocode(env: Env, rawInput: string, options: GeocodeOptions = {}): Promise<GeocodeResult> {
  const parsed = parseAddress(rawInput, options.country);
  const none = { location: null, precision: null, provider: null, cached: false } as const;
  if (!parsed.ok) return { status: parsed.status, components: {}, raw_input: rawInput, ...none, message: parsed.reason };
  const components = parsed.components;

  const outcome = await askProvider(env, components, options);
  if ("hit" in outcome && outcome.hit) {
    const hit = outcome.hit;
    return {
      status: "OK",
      components: withProviderParts(components, hit.address),
      raw_input: rawInput,
      location: { lat: hit.lat, lng: hit.lng },
      precision: hit.precision,
      provider: "nominatim",
      cached: outcome.cached,
      attribution: OSM_ATTRIBUTION,
    };
  }
  const reason: FallbackReason = "fallback" in outcome ? outcome.fallback : "provider_no_result";
  const place = await gazetteerLookup(env, components);
  if (!place) {
    return {
      status: "ZERO_RESULTS",
      components,
      raw_input: rawInput,
      ...none,
      fallback_reason: reason,
      message: "Neither the geocoder nor the gazetteer knows this address.",
    };
  }
  const filled =
    components.country_code || !place.country
      ? components
      : { ...components, country_code: place.country, country: COUNTRY_NAMES[place.country as CountryCode] ?? "" };
  return {
    status: "OK",
    components: filled,
    raw_input: rawInput,
    location: { lat: place.lat, lng: place.lng },
    precision: place.precision,
    provider: "gazetteer",
    fallback_reason: reason,
    cached: false,
    attribution: gazetteerAttribution(place.source),
  };
}
