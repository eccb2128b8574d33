/**
 * Generates benchmark properties by sampling real base listings (with replacement) and varying them
 * the way a live market would, following docs/query-design.md "Reference data set": source mix 42 % King County,
 * 40 % Melbourne, 15 % Wellington, 3 % Newcastle; coordinates jittered in a 500 m disc; price × U(0.85,
 * 1.15); 10 % rentals at price × 0.0045 (monthly); status active/sold/pending/withdrawn 60/27/8/5 %;
 * listed_at over the 3 years before the reference date; template titles and ~600-character
 * descriptions. Row n of a seed is always the same property.
 */
import { createHash } from "node:crypto";
import { type PropertyFacts, pickFacts } from "../workers/src/pkg/properties/columns.ts";
import type { BaseListing, Datasets } from "./datasets.ts";
import { type Rng, rngFor } from "./random.ts";

export type BenchProperty = {
  n: number;
  id: string;
  addressHash: string;
  source: BaseListing["source"];
  sourceListingId: string;
  sourceUrl: string;
  propertyType: BaseListing["propertyType"];
  listingType: "sale" | "rent";
  status: "active" | "sold" | "leased" | "pending" | "withdrawn";
  title: string;
  description: string;
  street: string | null;
  city: string;
  state: string | null;
  postalCode: string | null;
  country: BaseListing["country"];
  lat: number | null;
  lng: number | null;
  /** Minor units (cents). */
  priceMinor: number | null;
  currency: BaseListing["currency"];
  listedAt: Date;
  updatedAt: Date;
  features: string[];
  attributes: Record<string, string | number | boolean>;
} & PropertyFacts;

const MIX: Array<[BaseListing["source"], number]> = [
  ["kc_house_data", 0.42],
  ["melb_data", 0.4],
  ["nz_wellington_homes", 0.15],
  ["uk_ppd_newcastle", 0.03],
];

/** The data set describes the market as of this instant (so runs are reproducible). */
export const REFERENCE_DATE = Date.UTC(2026, 10, 25);
const DAY = 86_400_000;
const EARTH_M_PER_DEG = 111_320;

const FEATURES = [
  "garage",
  "garden",
  "deck",
  "pool",
  "fireplace",
  "air_conditioning",
  "solar",
  "views",
  "walk_in_wardrobe",
  "study",
  "ensuite",
  "dishwasher",
];

const ADJECTIVES = ["Spacious", "Sunny", "Renovated", "Charming", "Modern", "Quiet", "Family-sized", "Light-filled", "Classic"];

const FEATURE_SENTENCES = [
  "The open-plan kitchen has stone benches, a gas cooktop and plenty of storage.",
  "Polished timber floors run through the living areas, which open onto a sheltered deck.",
  "The main bedroom has a walk-in wardrobe and a private ensuite with underfloor heating.",
  "A separate laundry, a study nook and built-in robes in every bedroom make daily life easy.",
  "Double glazing, insulation and a heat pump keep the home warm in winter and cool in summer.",
  "The low-maintenance garden is fully fenced, safe for children and pets.",
  "Off-street parking and a single garage with internal access complete the package.",
  "Large windows bring in the afternoon sun and frame views across the neighbourhood.",
  "The bathroom was renovated recently with a walk-in shower and a heated towel rail.",
  "A sunny courtyard off the kitchen is ideal for outdoor dining all year round.",
];

const PLACE_SENTENCES = [
  "Cafes, a supermarket and the local primary school are a short walk away.",
  "Public transport to the city centre stops at the end of the street.",
  "Parks, playgrounds and walking tracks are close by, and the beach is a few minutes' drive.",
  "The street is quiet and leafy, with friendly neighbours and little through traffic.",
  "Shops, restaurants and the weekend market are within easy reach.",
  "Zoned for popular schools, with sports fields and a library nearby.",
];

function shuffleTake<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, count);
}

function pickSource(rng: Rng): BaseListing["source"] {
  let u = rng.next();
  for (const [source, share] of MIX) {
    if (u < share) return source;
    u -= share;
  }
  return "kc_house_data";
}

/** A point uniformly distributed in a disc of `radiusM` metres around (lat, lng). */
export function jitter(rng: Rng, lat: number, lng: number, radiusM: number): { lat: number; lng: number } {
  const r = radiusM * Math.sqrt(rng.next());
  const theta = rng.between(0, 2 * Math.PI);
  const dLat = (r * Math.cos(theta)) / EARTH_M_PER_DEG;
  const dLng = (r * Math.sin(theta)) / (EARTH_M_PER_DEG * Math.cos((lat * Math.PI) / 180));
  return { lat: round6(lat + dLat), lng: round6(lng + dLng) };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Row n's id timestamp: one a second from 2020 on, so generated rows are older than the API's new ones. */
const BENCH_ID_EPOCH_MS = Date.UTC(2020, 0, 1);

/**
 * A deterministic UUID for row n, so a run can address any row without a lookup. Laid out as the
 * ingest pipeline's ids are (UUIDv7: a millisecond timestamp, then random bits), so that rows written
 * by COPY land in the id indexes as the API's do.
 */
export function benchUuid(seed: number, n: number): string {
  const h = createHash("md5").update(`${seed}:${n}`).digest("hex");
  const t = (BENCH_ID_EPOCH_MS + n * 1000).toString(16).padStart(12, "0");
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${h.slice(13, 16)}-${((Number.parseInt(h[16] ?? "0", 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function typeWord(t: BaseListing["propertyType"]): string {
  return t === "other" ? "property" : t;
}

export function generateProperty(data: Datasets, seed: number, n: number): BenchProperty {
  const rng = rngFor(seed, n);
  const source = pickSource(rng);
  const base = rng.pick(data[source]);
  const listingType = rng.chance(0.1) ? "rent" : "sale";
  const u = rng.next();
  const status =
    u < 0.6 ? "active" : u < 0.87 ? (listingType === "rent" ? "leased" : "sold") : u < 0.95 ? "pending" : "withdrawn";
  const location = base.lat !== null && base.lng !== null ? jitter(rng, base.lat, base.lng, 500) : null;
  const factor = rng.between(0.85, 1.15);
  const price = base.price === null ? null : base.price * factor * (listingType === "rent" ? 0.0045 : 1);
  const listedAt = new Date(REFERENCE_DATE - rng.between(0, 3 * 365) * DAY);
  const updatedAt = new Date(Math.min(REFERENCE_DATE, listedAt.getTime() + rng.between(0, 60) * DAY));
  const houseNumber = rng.int(1, 400);
  const street = base.streetName ? `${houseNumber} ${base.streetName}` : null;
  const beds = base.bedrooms;
  const kind = typeWord(base.propertyType);
  const title =
    beds !== null && beds > 0
      ? `${rng.pick(ADJECTIVES)} ${beds}-bedroom ${kind} in ${base.city}`
      : `${rng.pick(ADJECTIVES)} ${kind} in ${base.city}`;
  const description = [
    `${listingType === "rent" ? "For rent" : "For sale"}: a ${kind} on ${base.streetName ?? "a quiet street"}, ${base.city}.`,
    ...shuffleTake(rng, FEATURE_SENTENCES, 4),
    ...shuffleTake(rng, PLACE_SENTENCES, 2),
  ].join(" ");
  const features = shuffleTake(rng, FEATURES, rng.int(0, 4)).sort();
  const sourceListingId = `bench-${seed}-${n}`;
  return {
    n,
    id: benchUuid(seed, n),
    addressHash: createHash("sha1").update(`${base.country}|${base.postalCode}|${base.city}|${street}|${n}`).digest("hex"),
    source,
    sourceListingId,
    sourceUrl: `https://bench.pillow.invalid/${source}/${sourceListingId}`,
    propertyType: base.propertyType,
    listingType,
    status,
    title,
    description,
    street,
    city: base.city,
    state: base.state,
    postalCode: base.postalCode,
    country: base.country,
    lat: location?.lat ?? null,
    lng: location?.lng ?? null,
    ...pickFacts(base),
    priceMinor: price === null ? null : Math.round(price) * 100,
    currency: base.currency,
    listedAt,
    updatedAt,
    features,
    attributes: { ...base.attributes, photo_count: rng.int(0, 30) },
  };
}
