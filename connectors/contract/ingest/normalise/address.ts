/**
 * Address normalisation per country (AU, NZ, US, GB, MT, and a generic rule for the rest): units split
 * from the street line ("Unit 4/12 Smith St", "123 Main St Apt 4B", "Flat 3, 12 High St"), street
 * suffixes spelt out ("St" → "Street"), case and whitespace tidied, postcodes and states in their
 * national form. The result also says whether the address is street-level, and if so gives the
 * identity key that `address_hash` is made from.
 */
import { cleanText, foldKey, smartCase } from "./text";

export type AddressInput = {
  street?: string | null;
  unit?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  /** ISO alpha-2, already resolved. */
  country: string;
};

export type NormalisedAddress = {
  /** House number and street name, e.g. "12 Smith Street"; no unit. */
  street: string | null;
  unit: string | null;
  /** A building or house name that stood before the street ("Ashdown House", "Villa Rosa"). */
  building: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string;
  /** One line in the country's usual order. */
  full: string | null;
  /** Canonical street-level identity ("country|postcode|city|number|street|unit"); null when coarser. */
  identityKey: string | null;
};

const SUFFIXES: Record<string, string> = {
  st: "Street",
  str: "Street",
  rd: "Road",
  ave: "Avenue",
  av: "Avenue",
  avn: "Avenue",
  dr: "Drive",
  drv: "Drive",
  ln: "Lane",
  la: "Lane",
  ct: "Court",
  crt: "Court",
  pl: "Place",
  cres: "Crescent",
  cr: "Crescent",
  cresc: "Crescent",
  tce: "Terrace",
  terr: "Terrace",
  ter: "Terrace",
  hwy: "Highway",
  pde: "Parade",
  cl: "Close",
  gr: "Grove",
  gve: "Grove",
  blvd: "Boulevard",
  bvd: "Boulevard",
  bvde: "Boulevard",
  cct: "Circuit",
  esp: "Esplanade",
  sq: "Square",
  wy: "Way",
  cir: "Circle",
  pkwy: "Parkway",
  gdns: "Gardens",
  pk: "Park",
  hts: "Heights",
  rdg: "Ridge",
  grn: "Green",
  wlk: "Walk",
  mwy: "Motorway",
  qy: "Quay",
  trl: "Trail",
  expy: "Expressway",
  fwy: "Freeway",
  xing: "Crossing",
  lp: "Loop",
  aly: "Alley",
  plz: "Plaza",
  ctr: "Center",
  mnr: "Manor",
  pt: "Point",
  cv: "Cove",
  rte: "Route",
  bnd: "Bend",
  vw: "View",
  prom: "Promenade",
  rmbl: "Ramble",
  gln: "Glen",
};

const DIRECTIONS: Record<string, string> = {
  n: "North",
  s: "South",
  e: "East",
  w: "West",
  ne: "Northeast",
  nw: "Northwest",
  se: "Southeast",
  sw: "Southwest",
};

const AU_STATES: Record<string, string> = {
  "new south wales": "NSW",
  victoria: "VIC",
  queensland: "QLD",
  "south australia": "SA",
  "western australia": "WA",
  tasmania: "TAS",
  "northern territory": "NT",
  "australian capital territory": "ACT",
};

const US_STATES: Record<string, string> = {
  alabama: "AL",
  alaska: "AK",
  arizona: "AZ",
  arkansas: "AR",
  california: "CA",
  colorado: "CO",
  connecticut: "CT",
  delaware: "DE",
  "district of columbia": "DC",
  florida: "FL",
  georgia: "GA",
  hawaii: "HI",
  idaho: "ID",
  illinois: "IL",
  indiana: "IN",
  iowa: "IA",
  kansas: "KS",
  kentucky: "KY",
  louisiana: "LA",
  maine: "ME",
  maryland: "MD",
  massachusetts: "MA",
  michigan: "MI",
  minnesota: "MN",
  mississippi: "MS",
  missouri: "MO",
  montana: "MT",
  nebraska: "NE",
  nevada: "NV",
  "new hampshire": "NH",
  "new jersey": "NJ",
  "new mexico": "NM",
  "new york": "NY",
  "north carolina": "NC",
  "north dakota": "ND",
  ohio: "OH",
  oklahoma: "OK",
  oregon: "OR",
  pennsylvania: "PA",
  "rhode island": "RI",
  "south carolina": "SC",
  "south dakota": "SD",
  tennessee: "TN",
  texas: "TX",
  utah: "UT",
  vermont: "VT",
  virginia: "VA",
  washington: "WA",
  "west virginia": "WV",
  wisconsin: "WI",
  wyoming: "WY",
  "puerto rico": "PR",
  guam: "GU",
  "us virgin islands": "VI",
};

/** Words that introduce a unit inside a street line. */
const UNIT_WORD = "(?:unit|u|apartment|apt|flat|suite|ste|villa|townhouse|shop)";
const UNIT_ID = "([0-9]+[a-z]?|[a-z][0-9]*)";

/** "4/12 Smith St", "Unit 4/12 Smith St", "U 4 / 12-14 Smith St" (AU/NZ style). */
const SLASH_UNIT = new RegExp(
  `^(?:${UNIT_WORD}\\.?\\s*)?${UNIT_ID}\\s*\\/\\s*(\\d+[a-z]?(?:\\s*[-–]\\s*\\d+[a-z]?)?)\\s+(.+)$`,
  "i",
);
/** "Unit 4, 12 Smith St", "Flat 3 12 High St", "Apt. 5B, …". */
const LEADING_UNIT = new RegExp(`^${UNIT_WORD}\\.?\\s*#?\\s*${UNIT_ID}\\b[\\s,]*(.*)$`, "i");
/**
 * "123 Main St Apt 4B", "123 Main St #4", "12 High St, Flat 2" (US style, and trailing in general). The unit
 * word is followed by a separator or a digit, so a street name ending in one ("Park Villas") stays whole.
 */
const TRAILING_UNIT = new RegExp(`^(.*?)[\\s,]+(?:${UNIT_WORD}(?:[.\\s#]+|(?=\\d))|#\\s*)${UNIT_ID}$`, "i");
const NUMBER_FIRST = /^(\d+[a-z]?(?:\s*[-–]\s*\d+[a-z]?)?)\s*,?\s+(.+)$/i;
/** "Triq il-Kbira 12", "Triq San Pawl, Nru 5" (Maltese and continental order). */
const NUMBER_LAST = /^(.+?)[\s,]+(?:nru\.?|no\.?|n\.|number)?\s*(\d+[a-z]?)$/i;

function normaliseUnit(value: string): string | null {
  const v = cleanText(value)
    .replace(new RegExp(`^${UNIT_WORD}\\.?\\s*`, "i"), "")
    .replace(/^#\s*/, "")
    .toUpperCase();
  return v || null;
}

function normaliseNumber(value: string): string {
  return value.replace(/\s*[-–]\s*/, "-").toUpperCase();
}

/** Spells out the suffix (and US directionals) of a street name; `smartCase` does the rest. */
function canonicalStreetName(name: string, country: string): string {
  const tokens = smartCase(cleanText(name.replace(/,/g, " "))).split(" ");
  const key = (t: string) => t.replace(/\.$/, "").toLowerCase();
  let last = tokens.length - 1;
  if (country === "US" && tokens.length > 2 && DIRECTIONS[key(tokens[last]!)]) {
    tokens[last] = DIRECTIONS[key(tokens[last]!)]!;
    last--;
  }
  if (last > 0 && SUFFIXES[key(tokens[last]!)]) tokens[last] = SUFFIXES[key(tokens[last]!)]!;
  if (country === "US" && tokens.length > 2 && DIRECTIONS[key(tokens[0]!)]) tokens[0] = DIRECTIONS[key(tokens[0]!)]!;
  if (country === "MT" && /^(tr|trq)$/.test(key(tokens[0]!)) && tokens.length > 1) tokens[0] = "Triq";
  return tokens.join(" ");
}

function normalisePostcode(value: string, country: string): string {
  const compact = value.replace(/\s+/g, "").toUpperCase();
  switch (country) {
    case "AU":
      return /^\d{3}$/.test(compact) ? `0${compact}` : compact;
    case "US": {
      const m = /^(\d{5})-?(\d{4})?$/.exec(compact);
      return m ? (m[2] ? `${m[1]}-${m[2]}` : m[1]!) : compact;
    }
    case "GB":
      return /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact) ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
    case "MT": {
      const m = /^([A-Z]{2,3})(\d{2,4})$/.exec(compact);
      return m ? `${m[1]} ${m[2]}` : compact;
    }
    default:
      return cleanText(value).toUpperCase();
  }
}

/** The part of a postcode that identifies the place: ZIP5 in the US, no spaces everywhere. */
export function postcodeKey(postcode: string, country: string): string {
  const compact = postcode.replace(/\s+/g, "");
  return country === "US" ? compact.slice(0, 5) : compact;
}

function normaliseState(value: string, country: string): string {
  const v = cleanText(value);
  const folded = foldKey(v);
  if (country === "AU") return AU_STATES[folded] ?? v.toUpperCase();
  if (country === "US") return US_STATES[folded] ?? v.toUpperCase();
  return smartCase(v);
}

type StreetParts = {
  unit: string | null;
  building: string | null;
  number: string | null;
  name: string | null;
  locality: string | null;
};

/** Splits a street line into unit, building name, number and street name. */
export function parseStreetLine(line: string, country: string): StreetParts {
  let rest = cleanText(line);
  let unit: string | null = null;
  let number: string | null = null;

  const slash = SLASH_UNIT.exec(rest);
  if (slash) {
    unit = slash[1]!;
    number = slash[2]!;
    rest = slash[3]!;
  } else {
    const leading = LEADING_UNIT.exec(rest);
    if (leading?.[2]) {
      unit = leading[1]!;
      rest = leading[2];
    } else {
      const trailing = TRAILING_UNIT.exec(rest);
      if (trailing?.[1] && /\d|\p{L}{3,}/u.test(trailing[1])) {
        unit = trailing[2]!;
        rest = trailing[1];
      }
    }
  }

  // Comma-separated parts: a building name may come before the numbered part, a locality after it.
  const parts: string[] = [];
  for (const part of rest.split(",").map((p) => p.trim())) {
    if (!part) continue;
    // "12, Triq il-Kbira": a bare number belongs to the street that follows it
    const prev = parts.at(-1);
    if (prev !== undefined && /^\d+[a-z]?$/i.test(prev)) parts[parts.length - 1] = `${prev} ${part}`;
    else parts.push(part);
  }
  let building: string | null = null;
  let locality: string | null = null;
  let streetPart = parts.join(", ");
  if (!number && parts.length > 1) {
    const numbered = parts.findIndex((p) => NUMBER_FIRST.test(p));
    if (numbered > 0) building = parts.slice(0, numbered).join(", ");
    const start = numbered >= 0 ? numbered : parts.length > 1 && country === "MT" ? parts.length - 1 : 0;
    if (numbered < 0 && start > 0) building = parts.slice(0, start).join(", ");
    streetPart = parts[start]!;
    if (numbered >= 0 && numbered < parts.length - 1) locality = parts.slice(numbered + 1).join(", ");
  } else if (number && parts.length > 1) {
    streetPart = parts[0]!;
    locality = parts.slice(1).join(", ");
  }

  let name: string | null = streetPart || null;
  if (!number && name) {
    const first = NUMBER_FIRST.exec(name);
    const lastNum = country !== "US" && country !== "AU" && country !== "NZ" && country !== "GB" ? NUMBER_LAST.exec(name) : null;
    if (first) {
      number = first[1]!;
      name = first[2]!;
    } else if (lastNum) {
      number = lastNum[2]!;
      name = lastNum[1]!;
    }
  }
  return {
    unit: unit ? normaliseUnit(unit) : null,
    building: building ? smartCase(building) : null,
    number: number ? normaliseNumber(number) : null,
    name: name ? canonicalStreetName(name, country) : null,
    locality: locality ? smartCase(locality) : null,
  };
}

function joinParts(parts: Array<string | null | undefined>, sep: string): string {
  return parts.filter((p): p is string => Boolean(p)).join(sep);
}

export function formatFull(a: Omit<NormalisedAddress, "full" | "identityKey">): string | null {
  const { street, unit, building, city, state, postalCode, country } = a;
  let line: string;
  switch (country) {
    case "AU":
    case "NZ":
      line = joinParts(
        [
          unit && street ? `${unit}/${street}` : joinParts([unit && `Unit ${unit}`, street], ", "),
          joinParts([city, state, postalCode], " "),
        ],
        ", ",
      );
      break;
    case "US":
      line = joinParts([joinParts([street, unit && `Unit ${unit}`], " "), city, joinParts([state, postalCode], " ")], ", ");
      break;
    case "GB":
    case "MT":
      line = joinParts([unit && `Flat ${unit}`, building, street, joinParts([city, postalCode], " "), state], ", ");
      break;
    default:
      line = joinParts(
        [unit && `Unit ${unit}`, building, street, postalCode && city ? `${postalCode} ${city}` : (city ?? postalCode), state],
        ", ",
      );
  }
  return line || null;
}

export function normaliseAddress(input: AddressInput): NormalisedAddress {
  const country = input.country;
  const parsed = input.street ? parseStreetLine(input.street, country) : null;
  const unitField = input.unit ? normaliseUnit(input.unit) : null;
  const unit = unitField ?? parsed?.unit ?? null;
  const street = parsed?.name ? joinParts([parsed.number, parsed.name], " ") : null;
  const city = input.city ? smartCase(cleanText(input.city)) : (parsed?.locality ?? null);
  const state = input.state ? normaliseState(input.state, country) : null;
  const postalCode = input.postal_code ? normalisePostcode(input.postal_code, country) : null;
  const building = parsed?.building ?? null;

  const address = { street, unit, building, city: city || null, state: state || null, postalCode: postalCode || null, country };
  // Street level: a house number (or, in Malta, a house name) on a named street, in a known place.
  const houseId = parsed?.number ?? (country === "MT" ? building : null);
  const streetLevel = Boolean(houseId && parsed?.name && (address.city || address.postalCode));
  const identityKey = streetLevel
    ? [
        country,
        address.postalCode ? postcodeKey(address.postalCode, country) : "",
        address.city ? foldKey(address.city) : "",
        foldKey(houseId!),
        foldKey(parsed!.name!),
        unit ? foldKey(unit) : "",
      ].join("|")
    : null;
  return { ...address, full: formatFull(address), identityKey };
}
