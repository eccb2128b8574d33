/**
 * Bounds that match storage (docs/api-search.md, "Validation"). Every number and string the API
 * accepts is checked here against what its column can hold and what the business allows, so a value
 * the database would refuse ("invalid input syntax for type bigint", "value out of range: underflow",
 * "date/time field value out of range", a NUL byte in text) is a 400 naming the parameter, never a
 * failed statement. The columns: prices are `bigint` minor units (up to 3 decimals, ISO 4217), areas
 * and bathrooms `real`, bedrooms and years `smallint`, times `timestamptz`, text `text` (no NUL).
 */
import { z } from "@hono/zod-openapi";

/** Highest price in whole currency units: ×1000 (3-decimal currencies) it is still exact in a double and far inside bigint. */
export const PRICE_MAX = 1_000_000_000_000;
/** Largest area, m² (1,000 km²: beyond any single property, far inside `real`). */
export const AREA_MAX = 1_000_000_000;
/** Values of `real` columns are compared at this resolution: smaller non-zero values underflow `real`. */
export const REAL_RESOLUTION = 0.01;
/** Years and dates the API accepts. */
export const YEAR_MIN = 1800;
export const YEAR_MAX = 2200;
export const DATE_MIN = `${YEAR_MIN}-01-01T00:00:00Z`;
export const DATE_MAX = `${YEAR_MAX}-12-31T23:59:59.999Z`;

/** Control characters (C0, DEL, C1) and lone UTF-16 surrogates, which are not text (with `u`, a pair is one code point). */
const CONTROL_OR_BROKEN = /[\p{Cc}\p{Cs}]/u;
/** The controls a multi-line value may hold. */
const LINE_BREAKS = /[\t\n\r]/g;

/** True when the text can be stored and compared as `text`: no control characters, well-formed UTF-16. */
export function isStorableText(value: string, options: { multiline?: boolean } = {}): boolean {
  return !CONTROL_OR_BROKEN.test(options.multiline ? value.replace(LINE_BREAKS, "") : value);
}

/** A text parameter: at most `max` characters, no control characters, no broken Unicode. */
export function boundedText(max: number, options: { multiline?: boolean } = {}) {
  return z
    .string()
    .max(max)
    .refine((v) => isStorableText(v, options), "must not contain control characters or invalid Unicode");
}

export type NumberBounds = { min: number; max: number; int?: boolean; resolution?: number };

/** Checks a number against its bounds: finite, within [min, max], integer if asked, and not finer than `resolution`. */
export function numberIssue(v: number, b: NumberBounds): string | undefined {
  if (!Number.isFinite(v)) return "must be a finite number";
  if (b.int && !Number.isInteger(v)) return "must be a whole number";
  if (v < b.min) return `must be at least ${b.min}`;
  if (v > b.max) return `must be at most ${b.max}`;
  if (b.resolution !== undefined && v !== 0 && Math.abs(v) < b.resolution) return `must be 0 or at least ${b.resolution}`;
  return undefined;
}

/**
 * A query parameter that is a number (coerced from its text) within bounds. The bounds are zod checks,
 * so the OpenAPI document states them (minimum, maximum, integer).
 */
export function boundedQueryNumber(b: NumberBounds) {
  let s = z.coerce.number().finite().min(b.min).max(b.max);
  if (b.int) s = s.int();
  const resolution = b.resolution;
  if (resolution === undefined) return s;
  return s.refine((v) => v === 0 || Math.abs(v) >= resolution, `must be 0 or at least ${resolution}`);
}

/** A JSON number within bounds (request bodies). */
export function boundedNumber(b: NumberBounds) {
  return z.number().superRefine((v, ctx) => {
    const issue = numberIssue(v, b);
    if (issue) ctx.addIssue({ code: "custom", message: issue });
  });
}

export const PRICE_BOUNDS: NumberBounds = { min: 0, max: PRICE_MAX };
export const AREA_BOUNDS: NumberBounds = { min: 0, max: AREA_MAX, resolution: REAL_RESOLUTION };
export const BATHROOM_BOUNDS: NumberBounds = { min: 0, max: 100, resolution: REAL_RESOLUTION };
export const BEDROOM_BOUNDS: NumberBounds = { min: 0, max: 100, int: true };
export const YEAR_BOUNDS: NumberBounds = { min: YEAR_MIN, max: YEAR_MAX, int: true };

/** A time the database can store: a valid ISO 8601 date or timestamp between 1800 and 2200. */
export function timeIssue(v: string): string | undefined {
  const at = Date.parse(v);
  if (Number.isNaN(at)) return "is not a valid date";
  if (at < Date.parse(DATE_MIN) || at > Date.parse(DATE_MAX)) return `must be between ${YEAR_MIN} and ${YEAR_MAX}`;
  return undefined;
}

export function boundedTimestampParam() {
  return z
    .string()
    .max(40)
    .regex(
      /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
      "must be an ISO 8601 date or timestamp",
    )
    .superRefine((v, ctx) => {
      const issue = timeIssue(v);
      if (issue) ctx.addIssue({ code: "custom", message: issue });
    });
}

const BIGINT_MAX = 9223372036854775807n;
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
/** `timestamptz::text` (ISO style) and ISO 8601: date, time with optional fraction, optional offset. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2}){0,2})?$/;

function validCalendarTime(v: string): boolean {
  const m = TIMESTAMP.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const at = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC maps years 0–99 to 1900–1999; such keys never come from the sort columns anyway.
  return y >= 100 && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

function finiteInRange(v: string, max: number, minPositive: number): boolean {
  if (!DECIMAL.test(v)) return false;
  const n = Math.abs(Number(v));
  return Number.isFinite(n) && n <= max && (n === 0 || n >= minPositive);
}

/**
 * Whether `text` is a value Postgres accepts for the SQL type `cast` (the types of the sort keys a
 * cursor carries). A cursor is only a base64 JSON object, so its key is checked here before any SQL.
 */
export function isValidKeyFor(cast: string, text: string): boolean {
  if (text.length > 64) return false;
  switch (cast) {
    case "bigint":
      return /^-?\d{1,19}$/.test(text) && BigInt(text) <= BIGINT_MAX && BigInt(text) >= -BIGINT_MAX;
    case "real":
      return finiteInRange(text, 3.4028234e38, 1.1754944e-38);
    case "float8":
      return finiteInRange(text, Number.MAX_VALUE, 2.2250738585072014e-308);
    case "timestamptz":
      return validCalendarTime(text);
    default:
      return false;
  }
}
