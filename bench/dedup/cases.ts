/**
 * The cases of `npm run eval:dedup` (docs/benchmarks.md "Dedup evaluation"): real addresses from the
 * data sets in ../shared/datasets, read by Pillow's own dataset importers, and for each of them the
 * same address as other sources write it (perturbations that must merge) and addresses next to it
 * (near misses that must stay apart). Nothing here knows the identity rules; it only writes addresses
 * the ways real sources do.
 */
import type { IngestItem } from "../../connectors/core/item";
import { type AddressInput, normaliseAddress } from "../../workers/src/pkg/ingest/normalise/address";
import { foldKey } from "../../workers/src/pkg/ingest/normalise/text";
import type { Rng } from "../random";

export type Expectation = "merge" | "apart";
export type Case = { kind: string; expect: Expectation; base: number; item: IngestItem };

/** One base listing: the address as its data set gives it (the first source of the property). */
export type Base = { index: number; dataset: string; item: IngestItem };

type Address = AddressInput;

/** Street types as sources abbreviate them, and their full names. */
const TYPES: Array<[string, string]> = [
  ["St", "Street"],
  ["Rd", "Road"],
  ["Ave", "Avenue"],
  ["Dr", "Drive"],
  ["Ct", "Court"],
  ["Pl", "Place"],
  ["Cres", "Crescent"],
  ["Gr", "Grove"],
  ["Tce", "Terrace"],
  ["Pde", "Parade"],
  ["Cl", "Close"],
  ["Hwy", "Highway"],
  ["Bvd", "Boulevard"],
  ["La", "Lane"],
];
const AU_STATE_NAMES: Record<string, string> = {
  VIC: "Victoria",
  NSW: "New South Wales",
  QLD: "Queensland",
  SA: "South Australia",
  WA: "Western Australia",
  TAS: "Tasmania",
  NT: "Northern Territory",
  ACT: "Australian Capital Territory",
};
/** The city a suburb belongs to, as a portal that names cities writes it. */
const METRO: Record<string, string> = { AU: "Melbourne" };

function addressOf(item: IngestItem): Address {
  return item.address as Address;
}

/** The street type of a street line, as [index of the word, abbreviation, full name], when it has a known one. */
function streetType(street: string): [number, string, string] | null {
  const words = street.split(" ");
  const last = words.length - 1;
  if (last < 2) return null;
  const word = words[last]!.replace(/\.$/, "").toLowerCase();
  const type = TYPES.find(([abbr, full]) => abbr.toLowerCase() === word || full.toLowerCase() === word);
  return type ? [last, type[0], type[1]] : null;
}

function withType(street: string, spelling: (abbr: string, full: string, current: string) => string): string | null {
  const type = streetType(street);
  if (!type) return null;
  const words = street.split(" ");
  words[type[0]] = spelling(type[1], type[2], words[type[0]]!);
  return words.join(" ");
}

/** The other spelling of the street type: "St" ↔ "Street". */
function otherSpelling(street: string): string | null {
  return withType(street, (abbr, full, current) => (current.toLowerCase() === abbr.toLowerCase() ? full : abbr));
}

/** Another street type altogether: "St" → "Court", "Court" → "Street". */
function otherType(street: string, rng: Rng): string | null {
  return withType(street, (_abbr, full) => {
    const others = TYPES.filter(([, f]) => f !== full);
    return rng.pick(others)[1];
  });
}

/** The house number and the rest of a street line ("14A Smith St" → ["14A", "Smith St"]). */
function splitNumber(street: string): [string, string] | null {
  const m = /^(\d+)([A-Za-z]?)\s+(.+)$/.exec(street);
  return m ? [`${m[1]}${m[2]}`, m[3]!] : null;
}

/** Jitters a point by up to `metres` in a random direction. */
function jitter(location: { lat: number; lng: number }, metres: number, rng: Rng): { lat: number; lng: number } {
  const d = rng.between(0, metres);
  const bearing = rng.between(0, 2 * Math.PI);
  const dLat = (d * Math.cos(bearing)) / 111_320;
  const dLng = (d * Math.sin(bearing)) / (111_320 * Math.cos((location.lat * Math.PI) / 180));
  return { lat: location.lat + dLat, lng: location.lng + dLng };
}

/** The identity the base set already has, to keep near misses off real addresses of the set. */
export function addressKeys(bases: Base[]): Set<string> {
  const keys = new Set<string>();
  for (const b of bases) {
    const a = addressOf(b.item);
    const n = normaliseAddress({ ...a, country: a.country });
    if (n.street) keys.add(nearKey(a.country, n.street, n.unit, n.city));
  }
  return keys;
}

function nearKey(country: string, street: string, unit: string | null, city: string | null): string {
  return [country, foldKey(street), foldKey(unit ?? ""), foldKey(city ?? "")].join("|");
}

function isTaken(keys: Set<string>, a: Address): boolean {
  const n = normaliseAddress({ ...a, country: a.country });
  return !n.street || keys.has(nearKey(a.country, n.street, n.unit, n.city));
}

/** The wider place name a source may give instead of the suburb, or null when the data set has none. */
function widerPlace(item: IngestItem): string | null {
  const a = addressOf(item);
  const suburb = (item.attributes as Record<string, unknown> | undefined)?.suburb;
  // homes.co.nz records carry the city in `city` and the suburb in attributes: the other source names the suburb.
  if (typeof suburb === "string" && suburb && suburb !== a.city) return suburb;
  const locality = (item.attributes as Record<string, unknown> | undefined)?.locality;
  if (typeof locality === "string" && locality && locality !== a.city) return locality;
  const metro = METRO[a.country];
  return metro && metro !== a.city ? metro : null;
}

/** The same listing as another source sends it: its own id and url, no coordinates, no extras. */
function asOtherSource(base: Base, kind: string, address: Address, extra: Partial<IngestItem> = {}): IngestItem {
  const id = `${kind}-${base.index}`;
  const host = `eval-${kind.replace(/_/g, "-")}.example`;
  return {
    source: host,
    source_listing_id: id,
    source_url: `https://${host}/listing/${id}`,
    property_type: base.item.property_type,
    listing_type: "sale",
    status: "active",
    price: base.item.price,
    currency: base.item.currency,
    bedrooms: base.item.bedrooms,
    address,
    ...extra,
  } as IngestItem;
}

type Perturbation = {
  kind: string;
  expect: Expectation;
  /** The address (and any extra fields) another source gives, or null when it does not apply to this base. */
  make: (base: Base, rng: Rng, taken: Set<string>) => { address: Address; extra?: Partial<IngestItem> } | null;
};

const UNIT_FORMS = [
  (unit: string, street: string) => `Unit ${unit}, ${street}`,
  (unit: string, street: string) => `${street}, Unit ${unit}`,
  (unit: string, street: string) => `Apt ${unit}/${street}`,
];

export const PERTURBATIONS: Perturbation[] = [
  {
    kind: "street_type",
    expect: "merge",
    make: ({ item }) => {
      const a = addressOf(item);
      const street = a.street ? otherSpelling(a.street) : null;
      return street ? { address: { ...a, street } } : null;
    },
  },
  {
    kind: "state_name",
    expect: "merge",
    make: ({ item }) => {
      const a = addressOf(item);
      const name = a.state && a.country === "AU" ? AU_STATE_NAMES[a.state] : undefined;
      return name ? { address: { ...a, state: name } } : null;
    },
  },
  {
    kind: "no_postcode",
    expect: "merge",
    make: ({ item }) => {
      const a = addressOf(item);
      return a.postal_code ? { address: { ...a, postal_code: null } } : null;
    },
  },
  {
    kind: "unit_format",
    expect: "merge",
    make: ({ item, index }) => {
      const a = addressOf(item);
      if (!a.unit || !a.street) return null;
      // The UK Price Paid SAON already says "FLAT 3": the other source writes its own unit word.
      const unit = a.unit.replace(/^(flat|unit|apartment|apt)\s+/i, "");
      // Only unit numbers are written in these forms ("Unit FIRST FLOOR FLAT, 6 …" is no source's form).
      if (!/^(\d+[a-z]?|[a-z])$/i.test(unit)) return null;
      const form = UNIT_FORMS[index % UNIT_FORMS.length]!;
      return { address: { ...a, unit: null, street: form(unit, a.street) } };
    },
  },
  {
    kind: "case_punctuation",
    expect: "merge",
    make: ({ item }) => {
      const a = addressOf(item);
      if (!a.street) return null;
      return { address: { ...a, street: `${a.street.toUpperCase()}.`, city: a.city ? `${a.city.toUpperCase()}.` : a.city } };
    },
  },
  {
    kind: "suburb_vs_city",
    expect: "merge",
    make: ({ item }) => {
      const a = addressOf(item);
      const city = widerPlace(item);
      return city ? { address: { ...a, city } } : null;
    },
  },
  {
    kind: "coordinates_jittered",
    expect: "merge",
    make: ({ item }, rng) => {
      const a = addressOf(item);
      const city = widerPlace(item);
      if (!item.location || !city) return null;
      return { address: { ...a, city, postal_code: null }, extra: { location: jitter(item.location, 15, rng) } };
    },
  },
  {
    kind: "combined",
    expect: "merge",
    make: ({ item }) => {
      const a = addressOf(item);
      const street = a.street ? otherSpelling(a.street) : null;
      if (!street) return null;
      const state = a.state && a.country === "AU" ? (AU_STATE_NAMES[a.state] ?? a.state) : a.state;
      return { address: { ...a, street: street.toUpperCase(), state, postal_code: null } };
    },
  },
  {
    kind: "other_unit",
    expect: "apart",
    make: ({ item }, _rng, taken) => {
      const a = addressOf(item);
      if (!a.street) return null;
      for (const unit of a.unit ? [`${Number.parseInt(a.unit, 10) + 7}`, "99"] : ["1", "2", "A"]) {
        const address = { ...a, unit, postal_code: null };
        if (!unit.startsWith("NaN") && !isTaken(taken, address)) return { address };
      }
      return null;
    },
  },
  {
    kind: "neighbour",
    expect: "apart",
    make: ({ item }, _rng, taken) => {
      const a = addressOf(item);
      const parts = a.street ? splitNumber(a.street) : null;
      if (!parts) return null;
      for (const step of [2, -2, 4, -4]) {
        const number = Number.parseInt(parts[0], 10) + step;
        if (number <= 0) continue;
        const address = { ...a, street: `${number} ${parts[1]}`, postal_code: null };
        if (!isTaken(taken, address)) return { address };
      }
      return null;
    },
  },
  {
    kind: "other_street_type",
    expect: "apart",
    make: ({ item }, rng, taken) => {
      const a = addressOf(item);
      const street = a.street ? otherType(a.street, rng) : null;
      if (!street) return null;
      const address = { ...a, street, postal_code: null };
      return isTaken(taken, address) ? null : { address };
    },
  },
  {
    // King County has no street addresses: a listing that only names the ZIP, at a point a few metres from
    // another parcel's, is never merged into it (identity does not merge on coarse location).
    kind: "coarse_same_place",
    expect: "apart",
    make: ({ item }, rng) => {
      const a = addressOf(item);
      if (a.street || !item.location) return null;
      return { address: { ...a }, extra: { location: jitter(item.location, 15, rng) } };
    },
  },
  {
    kind: "same_street_elsewhere",
    expect: "apart",
    make: ({ item }, rng, taken) => {
      const a = addressOf(item);
      // Not the base's own suburb either: "48 Totara Street, Wainuiomata" is the Lower Hutt record's address.
      const own = new Set([a.city, widerPlace(item)]);
      const others = LOCALITIES.get(a.country)?.filter((c) => !own.has(c)) ?? [];
      if (!a.street || others.length === 0) return null;
      const address = { ...a, city: rng.pick(others), postal_code: null, state: a.state };
      return isTaken(taken, address) ? null : { address };
    },
  },
];

/** The localities of each country's base set (for "the same street elsewhere"). */
const LOCALITIES = new Map<string, string[]>();

/**
 * Every case for `bases`: one per perturbation that applies to a base. Near misses are never an address
 * of the base set, nor one generated for another base (either would be a real duplicate, not a near miss).
 */
export function buildCases(bases: Base[], rng: Rng): Case[] {
  LOCALITIES.clear();
  for (const b of bases) {
    const a = addressOf(b.item);
    if (!a.city) continue;
    const list = LOCALITIES.get(a.country) ?? [];
    if (!list.includes(a.city)) list.push(a.city);
    LOCALITIES.set(a.country, list);
  }
  const taken = addressKeys(bases);
  const cases: Case[] = [];
  for (const p of PERTURBATIONS) {
    const generated = new Set<string>();
    for (const base of bases) {
      // Listings coarser than a street are identified by their source listing alone (docs/ingest.md):
      // another source's copy of one is not a duplicate identity could find.
      if (p.expect === "merge" && !addressOf(base.item).street) continue;
      const made = p.make(base, rng, taken);
      if (!made) continue;
      if (p.expect === "apart" && made.address.street) {
        if (isTaken(generated, made.address)) continue;
        const n = normaliseAddress({ ...made.address, country: made.address.country });
        if (n.street) generated.add(nearKey(made.address.country, n.street, n.unit, n.city));
      }
      cases.push({
        kind: p.kind,
        expect: p.expect,
        base: base.index,
        item: asOtherSource(base, p.kind, made.address, made.extra),
      });
    }
  }
  return cases;
}

/**
 * Bases: one per address (a data set's repeat sales are one property); street-level addresses, or for a
 * data set without streets (King County) one per parcel.
 */
export function selectBases(dataset: string, items: IngestItem[], limit: number, rng: Rng): Base[] {
  const seen = new Set<string>();
  const unique: IngestItem[] = [];
  for (const item of items) {
    const a = addressOf(item);
    const n = normaliseAddress({ ...a, country: a.country });
    if (a.street && (!n.identityKey || !n.street)) continue;
    const key = n.street ? nearKey(a.country, n.street, n.unit, n.city) : `parcel|${item.source_listing_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(item);
  }
  // A seeded shuffle, then the first `limit`.
  for (let i = unique.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [unique[i], unique[j]] = [unique[j]!, unique[i]!];
  }
  return unique.slice(0, limit).map((item) => ({ index: 0, dataset, item }));
}
