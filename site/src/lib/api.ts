/** The read API's shapes (see docs/data-model.md) and a fetch helper that turns errors into messages. */
export type Address = {
  street: string | null;
  unit: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string;
  full: string | null;
};

export type Property = {
  id: string;
  title: string | null;
  property_type: string;
  listing_type: string;
  status: string;
  price: number | null;
  currency: string;
  price_per_sqm: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  parking_spaces: number | null;
  area_living_sqm: number | null;
  area_land_sqm: number | null;
  year_built: number | null;
  address: Address;
  location: {
    lat: number;
    lng: number;
    precision?: string | null;
    /** A postcode or locality centroid, not the property's own position. */
    approximate?: boolean;
    attribution?: string;
  } | null;
  listed_at: string;
  updated_at: string;
  thumbnail_url: string | null;
  source: { name: string; url: string | null };
  quality_score: number;
  distance_km?: number;
};

export type HistoryEvent = { type: string; old: unknown; new: unknown; source: string | null; at: string };

export type PropertyDetail = Property & {
  description: string | null;
  features: string[];
  images: (string | { url: string; position?: number; source?: string | null })[];
  sources: { name: string; url: string | null; listing_id?: string }[];
  attributes: Record<string, unknown>;
  history: HistoryEvent[];
};

export type Page<T> = { data: T[]; pagination: { limit: number; next_cursor: string | null; total?: number } };

export type StatsGroup = {
  key?: string | null;
  label?: string | null;
  currency?: string;
  group?: string | null;
  count: number;
  median_price: number | null;
  p25_price?: number | null;
  p75_price?: number | null;
  avg_price?: number | null;
  median_price_per_sqm: number | null;
  median_days_on_market?: number | null;
  new_listings?: number | null;
  price_drops?: number | null;
};

export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

/** GET an API path; resolves to the whole success envelope, rejects with a message fit for people. */
export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { accept: "application/json" }, signal });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiFailure("Pillow could not be reached. Check your connection and try again.", 0, "NETWORK");
  }
  let body: { success?: boolean; error?: { code: string; message: string } } | undefined;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (res.ok && body?.success) return body as T;
  const code = body?.error?.code ?? `HTTP_${res.status}`;
  throw new ApiFailure(friendly(res.status, code, body?.error?.message), res.status, code);
}

function friendly(status: number, code: string, message?: string): string {
  if (code === "VALIDATION_FAILED") return `Please check the filters: ${message ?? "a value is not valid"}.`;
  if (status === 404) return "Not found: it may have been removed.";
  if (status === 429) return "Too many requests right now. Wait a moment and try again.";
  if (status >= 500) return "Pillow is having trouble answering. Please try again shortly.";
  return message ?? "Something went wrong.";
}

/** The machine key of a stats group (`YYYY-MM` for months: sortable). */
export function groupKey(g: StatsGroup): string {
  return String(g.key ?? g.group ?? "");
}

/** The display form of a stats group (the city as written, …). */
export function groupLabel(g: StatsGroup): string {
  return String(g.label ?? g.key ?? g.group ?? "");
}
