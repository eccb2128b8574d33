/**
 * A rule-based parser for free-form addresses in the formats Pillow's sources use (AU, NZ, US, GB, MT).
 * It works from the end of the string, where the formats are most regular: an optional country, then
 * the postcode and/or state, then the town; what is left is unit, street number, street and suburb.
 *
 * It never calls anything: the geocoder uses it to reject junk and PO boxes before spending its
 * provider budget, and to query the offline gazetteer by postcode and locality.
 */
import {
  AU_STATES,
  COUNTRY_ALIASES,
  COUNTRY_NAMES,
  type CountryCode,
  NZ_PLACES,
  STREET_TYPE_WORDS,
  STREET_TYPES,
  US_STATES,
} from "./regions";

/**
 * The geocode API's component names, kept from the earlier Mill's answer for its clients
 * (docs/geocoding.md#compatibility-with-the-original-mill); empty strings where a part is absent.
 */
export type AddressComponents = {
  street_number: string;
  street_name: string;
  unit: string;
  /** Suburb / neighbourhood between street and town (NZ and AU addresses often carry one). */
  suburb: string;
  city: string;
  /** Full name: abbreviations are expanded ("CA" → "California", "VIC" → "Victoria"). */
  state: string;
  postal_code: string;
  /** Full name ("United States"), as the earlier Mill answered. */
  country: string;
  /** ISO 3166-1 alpha-2, or "" when the address does not say. */
  country_code: string;
};

export type ParseResult =
  | { ok: true; components: AddressComponents; countryCode?: CountryCode }
  | { ok: false; status: "INVALID_REQUEST" | "PARSE_ERROR"; reason: string };

const PO_BOX =
  /\b(p\.?\s*o\.?\s*box|post\s*office\s*box|g\.?p\.?o\.?\s*box|locked\s*bag|private\s*bag|po\s*bag|c\/-?\s*post\s*shop|box\s+\d+)\b/i;
const UNIT_PART = /^(?:(?:unit|flat|apt|apartment|suite|ste|shop|villa|townhouse|level|lvl)\.?\s*#?\s*([\w-]+)|#\s*([\w-]+))$/i;
const SLASH_UNIT = /^(?:(?:unit|flat|apt|villa)\s*)?([A-Za-z]?\d+[A-Za-z]?)\s*\/\s*(\d+[A-Za-z]?)\s+(.+)$/i;
const NUMBER_FIRST = /^(\d+[A-Za-z]?(?:\s*-\s*\d+[A-Za-z]?)?)\s+(.+)$/;
const TRAILING_UNIT = /^(.+?)\s+(?:(?:apt|apartment|unit|suite|ste|flat)\.?\s*#?\s*|#\s*)([\w-]+)$/i;

const AU_STATE_NAMES = Object.fromEntries(Object.entries(AU_STATES).map(([k, v]) => [v.toLowerCase(), k]));
const US_STATE_NAMES = Object.fromEntries(Object.entries(US_STATES).map(([k, v]) => [v.toLowerCase(), k]));

type Tail = { country?: CountryCode; state?: string; postcode?: string; rest: string };

function empty(): AddressComponents {
  return {
    street_number: "",
    street_name: "",
    unit: "",
    suburb: "",
    city: "",
    state: "",
    postal_code: "",
    country: "",
    country_code: "",
  };
}

/** Strips a trailing country ("…, Australia" or "… Australia"). */
function takeCountry(parts: string[]): CountryCode | undefined {
  const last = (parts.at(-1) ?? "").toLowerCase().replace(/\.$/, "");
  const own = COUNTRY_ALIASES[last];
  if (own && parts.length > 1) {
    parts.pop();
    return own;
  }
  // Multi-word names only: a bare "us" or "mt" inside the last part is too likely a word or a state.
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) {
    if (alias.length < 4 || !last.endsWith(` ${alias}`)) continue;
    const lastPart = parts.at(-1) as string;
    parts[parts.length - 1] = lastPart.slice(0, lastPart.length - alias.length).trim();
    return code;
  }
  return undefined;
}

/** Reads a state (abbreviation or full name) off the end of `text`. */
function takeState(
  text: string,
  table: Record<string, string>,
  names: Record<string, string>,
  capitalsOnly: boolean,
): { state: string; rest: string } | undefined {
  const m = text.match(/^(.*?)\s*\b([A-Za-z]{2,3})\.?$/);
  const abbr = m?.[2];
  if (m && abbr && abbr.toUpperCase() in table && (!capitalsOnly || abbr === abbr.toUpperCase())) {
    return { state: abbr.toUpperCase(), rest: m[1] as string };
  }
  if (capitalsOnly) return undefined;
  const lower = text.toLowerCase();
  for (const [name, code] of Object.entries(names)) {
    if (lower === name || lower.endsWith(` ${name}`))
      return { state: code, rest: text.slice(0, text.length - name.length).trim() };
  }
  return undefined;
}

/** Reads postcode and state off the end of the last part. `known` is the country if already known. */
function takePostcodeAndState(text: string, known?: CountryCode): Tail {
  const may = (c: CountryCode) => !known || known === c;
  // GB: outward code (letters, digit, optional letter/digit) + inward code (digit, two letters).
  const gb = may("GB") ? text.match(/^(.*?)\s*\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$/i) : null;
  if (gb) return { country: "GB", postcode: `${gb[2]} ${gb[3]}`.toUpperCase(), rest: gb[1] as string };
  // AU: state + 4 digits ("VIC 3065"). Checked before MT, because "VIC 3065" also looks Maltese.
  const au4 = may("AU") ? text.match(/^(.*?)\s*(\d{4})$/) : null;
  const auState = au4 ? takeState(au4[1] as string, AU_STATES, AU_STATE_NAMES, false) : undefined;
  if (au4 && auState) return { country: "AU", state: auState.state, postcode: au4[2], rest: auState.rest };
  // MT: three letters + four digits ("VLT 1117", "SLM1021").
  const mt = may("MT") ? text.match(/^(.*?)\s*\b([A-Z]{3})\s?(\d{4})$/i) : null;
  if (mt) return { country: "MT", postcode: `${mt[2]} ${mt[3]}`.toUpperCase(), rest: mt[1] as string };
  // US: ZIP or ZIP+4, usually after the state ("CA 94102", "California 94102-1234").
  const zip = may("US") ? text.match(/^(.*?)\s*\b(\d{5}(?:-\d{4})?)$/) : null;
  if (zip) {
    const st = takeState(zip[1] as string, US_STATES, US_STATE_NAMES, false);
    return { country: "US", state: st?.state, postcode: zip[2], rest: st ? st.rest : (zip[1] as string) };
  }
  // A bare 4-digit postcode is AU or NZ; the caller decides from the town when it can.
  const bare4 = may("AU") || may("NZ") ? text.match(/^(.*?)\s*\b(\d{4})$/) : null;
  if (bare4) return { country: known, postcode: bare4[2], rest: bare4[1] as string };
  // A state without a postcode: abbreviations only in capitals, so "St" is never a state; full names
  // only as a whole comma-separated part ("…, Ballarat, Victoria").
  const whole = text.trim().toLowerCase();
  const au = may("AU")
    ? (takeState(text, AU_STATES, AU_STATE_NAMES, true) ??
      (AU_STATE_NAMES[whole] ? { state: AU_STATE_NAMES[whole], rest: "" } : undefined))
    : undefined;
  const us = may("US")
    ? (takeState(text, US_STATES, US_STATE_NAMES, true) ??
      (US_STATE_NAMES[whole] ? { state: US_STATE_NAMES[whole], rest: "" } : undefined))
    : undefined;
  // "WA" is both Western Australia and Washington: without a country or postcode it reads as US.
  if (au && (known === "AU" || !us)) return { country: "AU", state: au.state, rest: au.rest };
  if (us) return { country: "US", state: us.state, rest: us.rest };
  return { country: known, rest: text };
}

/** Expands a street-type abbreviation in last position: "Smith St" → "Smith Street". */
function normaliseStreetName(name: string): string {
  const words = name.replace(/\.$/, "").split(" ");
  const last = (words.at(-1) ?? "").toLowerCase().replace(/\.$/, "");
  if (words.length > 1 && STREET_TYPES[last]) words[words.length - 1] = STREET_TYPES[last];
  return words.join(" ");
}

/** Splits "14 Smith St Fitzroy" (no commas) into street and town at the street-type word. */
function splitAtStreetType(text: string): [string, string] | undefined {
  const words = text.split(" ");
  for (let i = 1; i < words.length - 1; i++) {
    if (STREET_TYPE_WORDS.has((words[i] as string).toLowerCase().replace(/\.$/, ""))) {
      return [words.slice(0, i + 1).join(" "), words.slice(i + 1).join(" ")];
    }
  }
  return undefined;
}

function looksLikeStreet(part: string): boolean {
  return /\d/.test(part) || STREET_TYPE_WORDS.has((part.split(" ").at(-1) ?? "").toLowerCase()) || /^triq\b/i.test(part);
}

export function parseAddress(input: string, hint?: CountryCode): ParseResult {
  const raw = input.normalize("NFC").replace(/\s+/g, " ").trim();
  if (!raw) return { ok: false, status: "INVALID_REQUEST", reason: "The address is empty." };
  if (PO_BOX.test(raw)) {
    return {
      ok: false,
      status: "INVALID_REQUEST",
      reason: "PO boxes and mail bags are postal addresses, not property locations.",
    };
  }
  const c = empty();
  const parts = raw
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  let country = takeCountry(parts) ?? hint;

  const tail = takePostcodeAndState(parts.at(-1) ?? "", country);
  country = tail.country ?? country;
  c.postal_code = tail.postcode ?? "";
  const state = tail.state ?? "";
  parts[parts.length - 1] = tail.rest.trim();
  if (parts.at(-1) === "") parts.pop();

  // The town: what precedes the postcode/state in the last part, else the last part itself.
  if (parts.length >= 2) {
    c.city = parts.pop() as string;
  } else if (parts.length === 1 && (tail.postcode || tail.state)) {
    const split = splitAtStreetType(parts[0] as string);
    if (split) {
      parts[0] = split[0];
      c.city = split[1];
    } else if (!looksLikeStreet(parts[0] as string)) {
      c.city = parts.pop() as string;
    }
  }

  // A lone leading number belongs to the street that follows ("12, Triq il-Kbira" in Malta).
  if (parts.length >= 2 && /^\d+[A-Za-z]?$/.test(parts[0] as string)) parts.splice(0, 2, `${parts[0]} ${parts[1]}`);
  // Leading unit parts ("Unit 2, 14 Smith St", "Flat 3, …").
  while (parts.length >= 2) {
    const m = (parts[0] as string).match(UNIT_PART);
    if (!m) break;
    c.unit = (m[1] ?? m[2]) as string;
    parts.shift();
  }
  let street = parts.shift() ?? "";
  c.suburb = parts.join(", ");

  const slash = street.match(SLASH_UNIT);
  const numbered = slash ? null : street.match(NUMBER_FIRST);
  if (slash) {
    c.unit = slash[1] as string;
    c.street_number = slash[2] as string;
    street = slash[3] as string;
  } else if (numbered) {
    c.street_number = (numbered[1] as string).replace(/\s+/g, "");
    street = numbered[2] as string;
  }
  const trailing = street.match(TRAILING_UNIT);
  if (trailing) {
    c.unit = trailing[2] as string;
    street = trailing[1] as string;
  }
  c.street_name = street ? normaliseStreetName(street) : "";

  if (!country && [c.city, c.suburb].some((p) => NZ_PLACES.has(p.toLowerCase()))) country = "NZ";
  // A bare 4-digit postcode without an NZ town leaves the country open (the gazetteer tries both).
  c.state = country === "AU" ? (AU_STATES[state] ?? state) : country === "US" ? (US_STATES[state] ?? state) : state;
  if (country) {
    c.country_code = country;
    c.country = COUNTRY_NAMES[country];
  }

  const useful =
    (c.street_number !== "" && c.street_name !== "") || c.postal_code !== "" || c.state !== "" || (country && c.city !== "");
  if (!useful)
    return { ok: false, status: "PARSE_ERROR", reason: "No street number and name, postcode, state or country found." };
  return { ok: true, components: c, countryCode: country };
}

/** One line for a geocoder query, from the parsed parts (the provider does better with clean input). */
export function formatQuery(c: AddressComponents): string {
  const street = [c.street_number, c.street_name].filter(Boolean).join(" ");
  return [street, c.suburb, c.city, [c.state, c.postal_code].filter(Boolean).join(" "), c.country]
    .filter((s) => s && s.trim() !== "")
    .join(", ");
}
