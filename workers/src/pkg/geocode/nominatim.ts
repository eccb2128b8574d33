/**
 * A Nominatim-compatible HTTP provider (`/search?format=jsonv2`): the public OSM instance, a
 * self-hosted one, or any service speaking the same API. Identifies itself with a User-Agent (the
 * usage policy refuses library defaults) and answers one best match.
 */
import type { Env } from "../../env";

export type Precision = "rooftop" | "street" | "postcode" | "locality";

export type ProviderHit = {
  lat: number;
  lng: number;
  precision: Precision;
  display_name: string;
  address: Record<string, string>;
};

/** The provider answered with an error or not at all: the caller falls back. */
export class ProviderUnavailableError extends Error {
  override readonly name = "ProviderUnavailableError";
}

type NominatimResult = {
  lat: string;
  lon: string;
  display_name?: string;
  addresstype?: string;
  type?: string;
  category?: string;
  class?: string;
  place_rank?: number;
  address?: Record<string, string>;
};

/** How exact a hit is, from Nominatim's own classification. */
export function precisionOf(r: NominatimResult): Precision {
  const kind = r.addresstype ?? r.type ?? "";
  if (r.address?.house_number || ["house", "building", "residential_building"].includes(kind) || (r.place_rank ?? 0) >= 30)
    return "rooftop";
  if (kind === "road" || (r.category ?? r.class) === "highway" || (r.place_rank ?? 0) >= 26) return "street";
  if (kind === "postcode") return "postcode";
  return "locality";
}

export function userAgent(env: Env): string {
  return (env.NOMINATIM_USER_AGENT as string | undefined) ?? `Pillow-Mill/${env.APP_VERSION ?? "dev"} (property geocoding)`;
}

export async function nominatimSearch(
  env: Env,
  baseUrl: string,
  query: string,
  countryCode?: string,
  timeoutMs = 5_000,
): Promise<ProviderHit | null> {
  const url = new URL("search", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  url.searchParams.set("q", query);
  url.searchParams.set("format", "jsonv2");
  url.searchParams.set("addressdetails", "1");
  url.searchParams.set("limit", "1");
  if (countryCode) url.searchParams.set("countrycodes", countryCode.toLowerCase());
  if (env.NOMINATIM_EMAIL) url.searchParams.set("email", env.NOMINATIM_EMAIL as string);
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { "User-Agent": userAgent(env), Accept: "application/json", "Accept-Language": "en" },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new ProviderUnavailableError(`geocoder unreachable: ${(err as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new ProviderUnavailableError(`geocoder answered HTTP ${res.status}`);
  }
  let results: NominatimResult[];
  try {
    results = (await res.json()) as NominatimResult[];
  } catch {
    throw new ProviderUnavailableError("geocoder answered something that is not JSON");
  }
  const best = Array.isArray(results) ? results[0] : undefined;
  if (!best) return null;
  const lat = Number(best.lat);
  const lng = Number(best.lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    throw new ProviderUnavailableError("geocoder answered invalid coordinates");
  }
  return { lat, lng, precision: precisionOf(best), display_name: best.display_name ?? "", address: best.address ?? {} };
}
