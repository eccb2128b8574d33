/**
 * Reads the real property data sets in `../shared/datasets/` into one common shape, the "base
 * listings" the generator samples from (with replacement) to build a realistic 1M-row table:
 * real cities, real price and size distributions, real coordinates. The recipe is described in
 * docs/query-design.md "Reference data set".
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { kingCountyCity } from "../db/demo/king-county.ts";
import { type PropertyFacts, unknownFacts } from "../workers/src/pkg/properties/columns.ts";

export type BaseListing = {
  source: "kc_house_data" | "melb_data" | "nz_wellington_homes" | "uk_ppd_newcastle";
  country: "US" | "AU" | "NZ" | "GB";
  currency: "USD" | "AUD" | "NZD" | "GBP";
  state: string | null;
  city: string;
  /** Street name without a house number (the generator draws the number). */
  streetName: string | null;
  postalCode: string | null;
  lat: number | null;
  lng: number | null;
  propertyType: "house" | "apartment" | "townhouse" | "land" | "other";
  /** Price in major units; null when the source has none ("$TBC"). */
  price: number | null;
  attributes: Record<string, string | number | boolean>;
  /** The measured facts (pkg/properties/columns.ts); a reader starts from `unknownFacts()`, so a fact its data set lacks stays null. */
} & PropertyFacts;

export type Datasets = Record<BaseListing["source"], BaseListing[]>;

const SQFT = 0.09290304;

type Row = Record<string, string>;

/** A number from a CSV cell ("1,234", "$1,234,000", "83e4", "2.0"); null when empty or not a number. */
export function num(value: string | undefined): number | null {
  if (value === undefined) return null;
  const cleaned = value.replace(/[$,\s]/g, "");
  if (cleaned === "") return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

function positive(value: string | undefined): number | null {
  const n = num(value);
  return n !== null && n > 0 ? n : null;
}

/** "HALSWATER DRIVE" → "Halswater Drive"; leaves mixed case alone. */
export function titleCase(value: string): string {
  if (value !== value.toUpperCase()) return value;
  return value.toLowerCase().replace(/(^|[\s\-'/])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** "85 Turner St" → "Turner St"; "2/99 Dixon Street" → "Dixon Street"; "4 637 High Street" → "High Street". */
export function streetNameOf(address: string): string | null {
  const name = address
    .replace(/^[\s\d/\-,A-Za-z]*?\d+[A-Za-z]?\s+/, "")
    .replace(/^\d+\s+/, "")
    .trim();
  return name.length > 0 ? name : null;
}

function readCsv(path: string, fix?: (text: string) => string): Row[] {
  const text = readFileSync(path, "utf8");
  return parse(fix ? fix(text) : text, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Row[];
}

// Street names for King County, which has no addresses: common US street names, numbered streets and
// the avenue/street grid that Seattle actually uses.
const KC_STREETS = [
  ...["Maple", "Cedar", "Pine", "Madison", "Lake", "Hill", "Park", "Market", "Union", "Olympic", "Rainier", "Aurora"].map(
    (s) => `${s} Ave`,
  ),
  ...Array.from({ length: 40 }, (_, i) => `${ordinal(i + 1)} Ave NE`),
  ...Array.from({ length: 40 }, (_, i) => `${ordinal(i + 100)} St SE`),
  "Beacon Ave S",
  "Greenwood Ave N",
  "Lake City Way NE",
  "California Ave SW",
  "Sand Point Way NE",
];

function ordinal(n: number): string {
  const s = ["th", "st", "nd", "rd"];
  const v = n % 100;
  return n + (s[(v - 20) % 10] ?? s[v] ?? s[0] ?? "th");
}

function kingCounty(dir: string): BaseListing[] {
  return readCsv(join(dir, "kc_house_data.csv")).map((r, i) => {
    const lot = positive(r.sqft_lot);
    return {
      source: "kc_house_data",
      country: "US",
      currency: "USD",
      state: "WA",
      city: kingCountyCity(r.zipcode ?? ""),
      streetName: KC_STREETS[i % KC_STREETS.length] ?? null,
      postalCode: r.zipcode ?? null,
      lat: num(r.lat),
      lng: num(r.long),
      propertyType: lot !== null && lot < 1500 ? "apartment" : "house",
      ...unknownFacts(),
      bedrooms: num(r.bedrooms),
      bathrooms: num(r.bathrooms),
      parkingSpaces: null,
      areaLivingSqm: round1((positive(r.sqft_living) ?? 0) * SQFT) || null,
      areaLandSqm: lot === null ? null : round1(lot * SQFT),
      yearBuilt: positive(r.yr_built),
      price: positive(r.price),
      attributes: {
        grade: num(r.grade) ?? 0,
        condition: num(r.condition) ?? 0,
        view: num(r.view) ?? 0,
        waterfront: r.waterfront === "1",
        floors: num(r.floors) ?? 1,
      },
    };
  });
}

const MELB_TYPE: Record<string, BaseListing["propertyType"]> = { h: "house", u: "apartment", t: "townhouse" };
const MELB_METHOD: Record<string, string> = {
  S: "sold",
  SP: "sold prior",
  PI: "passed in",
  VB: "vendor bid",
  SA: "sold after auction",
};

function melbourne(dir: string): BaseListing[] {
  return readCsv(join(dir, "melb_data.csv")).map((r) => ({
    source: "melb_data",
    country: "AU",
    currency: "AUD",
    state: "VIC",
    city: r.Suburb ?? "Melbourne",
    streetName: streetNameOf(r.Address ?? ""),
    postalCode: r.Postcode ? String(Math.round(Number(r.Postcode))) : null,
    lat: num(r.Lattitude),
    lng: num(r.Longtitude),
    propertyType: MELB_TYPE[r.Type ?? ""] ?? "other",
    ...unknownFacts(),
    bedrooms: num(r.Bedroom2) ?? num(r.Rooms),
    bathrooms: num(r.Bathroom),
    parkingSpaces: num(r.Car),
    areaLivingSqm: positive(r.BuildingArea),
    areaLandSqm: positive(r.Landsize),
    yearBuilt: positive(r.YearBuilt),
    price: positive(r.Price),
    attributes: {
      agency: r.SellerG ?? "",
      method: MELB_METHOD[r.Method ?? ""] ?? r.Method ?? "",
      council_area: r.CouncilArea ?? "",
      region: r.Regionname ?? "",
    },
  }));
}

function wellington(dir: string): BaseListing[] {
  const out: BaseListing[] = [];
  const nz = (r: Row, extra: Partial<BaseListing>): BaseListing => ({
    source: "nz_wellington_homes",
    country: "NZ",
    currency: "NZD",
    state: "Wellington",
    city: "Wellington",
    streetName: null,
    postalCode: null,
    lat: num(r.lat),
    lng: num(r.long),
    propertyType: "house",
    ...unknownFacts(),
    bedrooms: positive(r.num_bedrooms),
    bathrooms: positive(r.num_bathrooms),
    parkingSpaces: num(r.num_car_spaces),
    areaLivingSqm: positive(r.floor_area),
    areaLandSqm: positive(r.land_area),
    yearBuilt: positive(r.decade_built),
    price: positive(r.price),
    attributes: {},
    ...extra,
  });
  // 2020: "136 Mairangi Road, Wilton, Wellington" and "$1,234,000" / "$TBC" prices.
  for (const r of readCsv(join(dir, "nz_wellington_homes_2020.csv"))) {
    const [street, suburb] = (r.address ?? "").split(",").map((s) => s.trim());
    out.push(nz(r, { city: suburb || "Wellington", streetName: streetNameOf(street ?? "") }));
  }
  // 2023 has street and suburb columns (upper case, kept as the source spells them).
  const streets2023: string[] = [];
  for (const r of readCsv(join(dir, "nz_wellington_homes_2023.csv"))) {
    const street = r.street ? titleCase(r.street) : null;
    if (street) streets2023.push(street);
    out.push(nz(r, { city: r.suburb || "Wellington", streetName: street, attributes: cv(r) }));
  }
  for (const r of readCsv(join(dir, "nz_wellington_homes_2021.csv"))) {
    out.push(nz(r, { city: r.suburb_name || "Wellington", streetName: streetNameOf(r.address ?? ""), attributes: cv(r) }));
  }
  // 2022 has no street: draw one from the 2023 street names.
  let i = 0;
  for (const r of readCsv(join(dir, "nz_wellington_homes_2022.csv"))) {
    out.push(
      nz(r, {
        city: r.suburb_name || "Wellington",
        streetName: streets2023[i++ % streets2023.length] ?? null,
        attributes: cv(r),
      }),
    );
  }
  return out;
}

function cv(r: Row): Record<string, number> {
  const capital = num(r.capital_value);
  return capital === null ? {} : { capital_value: capital };
}

const PPD_TYPE: Record<string, BaseListing["propertyType"]> = {
  D: "house",
  S: "house",
  T: "townhouse",
  F: "apartment",
  O: "other",
};
const PPD_FORM: Record<string, string> = { D: "detached", S: "semi-detached", T: "terraced", F: "flat", O: "other" };

function newcastle(dir: string): BaseListing[] {
  // The PPD report export has no line break after its header: split after `linked_data_uri`.
  const rows = readCsv(join(dir, "uk_ppd_newcastle_2022.csv"), (t) => t.replace(/linked_data_uri"/, 'linked_data_uri\n"'));
  return rows.map((r) => ({
    source: "uk_ppd_newcastle",
    country: "GB",
    currency: "GBP",
    state: r.county ? titleCase(r.county) : null,
    city: titleCase(r.locality || r.district || "Newcastle upon Tyne"),
    streetName: r.street ? titleCase(r.street) : null,
    postalCode: r.postcode || null,
    // Price Paid Data has no coordinates and no bedroom counts: these rows stay ungeocoded (docs/query-design.md "P9").
    lat: null,
    lng: null,
    propertyType: PPD_TYPE[r.property_type ?? ""] ?? "other",
    ...unknownFacts(),
    price: positive(r.price_paid),
    attributes: {
      tenure: r.estate_type === "L" ? "leasehold" : "freehold",
      new_build: r.new_build === "Y",
      built_form: PPD_FORM[r.property_type ?? ""] ?? "other",
    },
  }));
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

export const DATASETS_DIR = "../shared/datasets";

/** null when the private data sets are not present (a clone without `../shared/`). */
export function loadDatasets(dir = DATASETS_DIR): Datasets | null {
  if (!existsSync(join(dir, "kc_house_data.csv"))) return null;
  return {
    kc_house_data: kingCounty(dir),
    melb_data: melbourne(dir),
    nz_wellington_homes: wellington(dir),
    uk_ppd_newcastle: newcastle(dir),
  };
}
