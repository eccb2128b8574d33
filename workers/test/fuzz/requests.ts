/**
 * Requests derived from the served OpenAPI document, as fast-check arbitraries: every operation, every
 * declared parameter with valid values (its example, its enum, numbers inside its bounds) and hostile
 * ones (boundary and non-finite numbers, control characters, unicode, long strings, wrong types),
 * unknown and repeated parameters, bodies that are valid, mutated, malformed or of the wrong content
 * type, and tampered cursors. The fuzz test (workers/src/routes/openapi.fuzz.security.test.ts) sends
 * them and checks the answers against the same document.
 */
import fc from "fast-check";

export type Schema = {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  maxLength?: number;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  $ref?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
export type Parameter = {
  name: string;
  in: "query" | "path" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
  example?: unknown;
};
export type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema; example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};
export type OpenApiDoc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

export type Endpoint = { method: string; path: string; op: Operation };

export type Auth = "none" | "malformed" | "user" | "service" | "admin";

export type FuzzRequest = {
  endpoint: Endpoint;
  auth: Auth;
  url: string;
  init: { method: string; headers: Record<string, string>; body?: string };
};

/** What the fuzz run knows about the data: ids that exist, a real cursor, tokens per role. */
export type FuzzContext = {
  propertyIds: string[];
  cursor: string;
  city: string;
  source: string;
};

const METHODS = ["get", "post", "put", "patch", "delete"];

export function endpoints(doc: OpenApiDoc): Endpoint[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}

export function resolve(doc: OpenApiDoc, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; s.$ref && i < 10; i++) s = doc.components.schemas[s.$ref.replace("#/components/schemas/", "")] ?? {};
  return s;
}

/** Numbers at and beyond every edge a column or a parser has. */
const BOUNDARY_NUMBERS = [
  "0",
  "-0",
  "-1",
  "1",
  "0.5",
  "1e20",
  "1e17",
  "1e39",
  "1.5e-323",
  "5e-324",
  "1e-300",
  "1e308",
  "1e999",
  "-1e999",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775809",
  "2147483648",
  "32768",
  "NaN",
  "Infinity",
  "-Infinity",
  "0x10",
  "1_000",
  "",
  " ",
  "1,5",
  "١٢٣",
];

/** Text that breaks naive handling: NUL and other controls, broken and exotic unicode, SQL and markup. */
const HOSTILE_TEXT = [
  "\u0000",
  "a\u0000b",
  "\u0007\u001b[31m",
  "\r\nX-Injected: 1",
  "\u0085",
  "\ud800",
  "\udfff",
  "😀",
  "Zürich",
  "\u202e",
  "'; DROP TABLE properties; --",
  "%00",
  "%",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "null",
  "[]",
  "{}",
  "true",
  ",",
  ",,",
  "0000-01-01",
  "1799-12-31",
  "2201-01-01",
  "275760-09-13",
  "2026-02-30",
  "not a date",
];

const longText = fc.integer({ min: 201, max: 6000 }).map((n) => "x".repeat(n));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 3, arbitrary: fc.constantFrom(...BOUNDARY_NUMBERS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: longText },
);

function numberText(s: Schema): fc.Arbitrary<string> {
  const isInt = s.type === "integer";
  const min = s.minimum ?? s.exclusiveMinimum ?? -1e6;
  const max = s.maximum ?? s.exclusiveMaximum ?? 1e6;
  const inside = isInt
    ? fc.integer({ min: Math.max(min, -1e9), max: Math.min(max, 1e9) }).map(String)
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map(String);
  const edges = [min, max, min - 1, max + 1, isInt ? min + 0.5 : min / 2].filter(Number.isFinite).map(String);
  return fc.oneof({ weight: 3, arbitrary: inside }, { weight: 2, arbitrary: fc.constantFrom(...edges) });
}

/** A value that the parameter's schema describes as valid (or close to it). */
function validText(doc: OpenApiDoc, p: Parameter): fc.Arbitrary<string> {
  const s = resolve(doc, p.schema);
  const options: fc.Arbitrary<string>[] = [];
  if (s.enum?.length) options.push(fc.constantFrom(...s.enum.map(String)));
  if (p.example !== undefined) options.push(fc.constant(String(p.example)));
  if (s.example !== undefined) options.push(fc.constant(String(s.example)));
  if (s.default !== undefined) options.push(fc.constant(String(s.default)));
  if (s.type === "integer" || s.type === "number") options.push(numberText(s));
  if (s.type === "boolean") options.push(fc.constantFrom("true", "false"));
  if (options.length === 0) options.push(fc.string({ maxLength: Math.min(s.maxLength ?? 20, 20) }));
  return fc.oneof(...options);
}

/** One query parameter: absent, valid, hostile, or repeated. */
function queryValue(doc: OpenApiDoc, p: Parameter, ctx: FuzzContext): fc.Arbitrary<string[]> {
  const valid = validText(doc, p);
  const special: fc.Arbitrary<string>[] = [];
  if (p.name === "cursor") special.push(tamperedCursor(ctx));
  if (p.name === "city") special.push(fc.constant(ctx.city));
  return fc.oneof(
    { weight: p.required ? 0 : 6, arbitrary: fc.constant<string[]>([]) },
    { weight: 4, arbitrary: (special.length ? fc.oneof(valid, ...special) : valid).map((v) => [v]) },
    { weight: 3, arbitrary: hostileString.map((v) => [v]) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.oneof(valid, hostileString)).map(([a, b]) => [a, b]) },
  );
}

const b64url = (s: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const fromB64url = (s: string) => atob(s.replace(/-/g, "+").replace(/_/g, "/"));

/** The real cursor, or one with its key (or other fields) replaced: the fingerprint stays intact. */
export function tamperedCursor(ctx: FuzzContext): fc.Arbitrary<string> {
  const real = JSON.parse(fromB64url(ctx.cursor)) as Record<string, unknown>;
  const key = fc.oneof(
    fc.constantFrom("1e999", "not a date", "NaN", "Infinity", "", "2026-02-30 00:00:00+00", "-1", "0"),
    fc.constantFrom(...BOUNDARY_NUMBERS),
    hostileString,
    fc.constant(null),
    fc.integer(),
  );
  return fc.oneof(
    fc.constant(ctx.cursor),
    key.map((k) => b64url(JSON.stringify({ ...real, k }))),
    fc.constantFrom("value", "null", "other").map((g) => b64url(JSON.stringify({ ...real, g }))),
    hostileString.map((i) => b64url(JSON.stringify({ ...real, i }))),
    hostileString,
  );
}

/** A JSON value the schema describes, built from its examples and defaults, within a small size. */
function validValue(doc: OpenApiDoc, schema: Schema | undefined, ctx: FuzzContext, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  if (s.example !== undefined) return fc.constant(s.example);
  if (s.examples?.length) return fc.constantFrom(...s.examples);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union?.length) return fc.oneof(...union.map((u) => validValue(doc, u, ctx, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  if (depth > 4) return fc.constant(null);
  switch (type) {
    case "object": {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const entries = Object.entries(props).filter(([k]) => required.has(k));
      return fc.record(Object.fromEntries(entries.map(([k, v]) => [k, validValue(doc, v, ctx, depth + 1)])));
    }
    case "array":
      return fc.array(validValue(doc, s.items, ctx, depth + 1), { maxLength: 2 });
    case "integer":
      return fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 100, 1e6) });
    case "number":
      return fc.double({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 100, 1e6), noNaN: true });
    case "boolean":
      return fc.boolean();
    default:
      return fc.string({ maxLength: 12 });
  }
}

/** Replaces the value at one random path of a JSON value with something hostile. */
function mutate(value: unknown): fc.Arbitrary<unknown> {
  const hostileJson = fc.oneof(
    hostileString,
    fc.constantFrom(1e20, 1e17, 1e39, 1.5e-323, -1, 0, 1e308, 2 ** 53 + 2, -0, true, null, [], {}, "", [1, 2]),
    fc.double(),
  );
  const paths: string[][] = [];
  const walk = (v: unknown, path: string[]) => {
    paths.push(path);
    if (v && typeof v === "object" && path.length < 4) {
      for (const [k, child] of Object.entries(v)) walk(child, [...path, k]);
    }
  };
  walk(value, []);
  return fc.tuple(fc.constantFrom(...paths), hostileJson, fc.boolean()).map(([path, replacement, asNewKey]) => {
    const copy = structuredClone(value) as Record<string, unknown>;
    if (path.length === 0) return replacement;
    let node = copy as Record<string, unknown>;
    for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
    const last = path.at(-1)!;
    if (asNewKey) node[`${last}\u0000x`] = replacement;
    else node[last] = replacement;
    return copy;
  });
}

/** A valid ingest item in the fuzz run's own source and city, so it never touches other tests' data. */
function ingestItem(ctx: FuzzContext): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    source: fc.constant(ctx.source),
    source_listing_id: fc.integer({ min: 1, max: 40 }).map(String),
    price: fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), fc.constant("$1.2m")),
    bedrooms: fc.integer({ min: 0, max: 6 }),
    area_living_sqm: fc.oneof(fc.integer({ min: 10, max: 500 }), fc.constant("1,200 sq ft")),
    address: fc.record({ city: fc.constant(ctx.city), country: fc.constant("AU"), street: fc.constant("1 Fuzz St") }),
    listed_at: fc.constant("2026-01-02T03:04:05Z"),
  });
}

function bodyFor(doc: OpenApiDoc, e: Endpoint, ctx: FuzzContext): fc.Arbitrary<{ contentType?: string; body?: string }> {
  const content = e.op.requestBody?.content;
  if (!content) {
    // GET and HEAD cannot carry a body (fetch refuses it); other methods get an unexpected one now and then.
    if (e.method === "GET" || e.method === "HEAD") return fc.constant({});
    return fc.oneof(
      { weight: 5, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.constant({ contentType: "application/json", body: "{}" }) },
    );
  }
  const [contentType, media] = Object.entries(content)[0]!;
  const isIngest = e.path.startsWith("/api/v1/properties") && e.method === "POST";
  const valid: fc.Arbitrary<unknown> = isIngest
    ? e.path.endsWith("/batch")
      ? fc.record({ items: fc.array(ingestItem(ctx), { minLength: 1, maxLength: 3 }) })
      : ingestItem(ctx)
    : media.example !== undefined
      ? fc.constant(media.example)
      : validValue(doc, media.schema, ctx);
  const json = (v: unknown) => ({ contentType, body: JSON.stringify(v) });
  return fc.oneof(
    { weight: 3, arbitrary: valid.map(json) },
    { weight: 4, arbitrary: valid.chain(mutate).map(json) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("{", "[]", "null", '{"a":1e999}', "\u0000", "", '"\\ud800"', "1".repeat(400)).map((body) => ({
        contentType,
        body,
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/xml", ""),
          valid,
        )
        .map(([ct, v]) => ({ contentType: ct || undefined, body: JSON.stringify(v) })),
    },
    { weight: 1, arbitrary: fc.constant({ contentType }) },
  );
}

function pathFor(e: Endpoint, ctx: FuzzContext): fc.Arbitrary<string> {
  const names = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  if (names.length === 0) return fc.constant(e.path);
  const value = fc.oneof(
    { weight: 4, arbitrary: ctx.propertyIds.length ? fc.constantFrom(...ctx.propertyIds) : fc.uuid() },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: hostileString },
  );
  return fc.tuple(...names.map(() => value)).map((values) =>
    // A URL carries UTF-8, so a lone surrogate travels as U+FFFD (as URLSearchParams does for the query).
    names.reduce((p, name, i) => p.replace(`{${name}}`, encodeURIComponent(values[i]!.replace(/\p{Cs}/gu, "\ufffd"))), e.path),
  );
}

export function requestFor(doc: OpenApiDoc, e: Endpoint, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const queryParams = (e.op.parameters ?? []).filter((p) => p.in === "query");
  const query = fc.record(
    Object.fromEntries(queryParams.map((p) => [p.name, queryValue(doc, p, ctx)])) as Record<string, fc.Arbitrary<string[]>>,
  );
  const unknownParam = fc.option(
    fc.tuple(fc.constantFrom("bogus", "limit[]", "__proto__", "constructor", "q%00"), hostileString),
    {
      freq: 8,
    },
  );
  return fc
    .record({
      auth: fc.constantFrom<Auth>("none", "malformed", "user", "service", "admin", "admin"),
      path: pathFor(e, ctx),
      query,
      unknownParam,
      body: bodyFor(doc, e, ctx),
    })
    .map(({ auth, path, query, unknownParam, body }) => {
      const search = new URLSearchParams();
      for (const [name, values] of Object.entries(query)) for (const v of values) search.append(name, v);
      if (unknownParam) search.append(unknownParam[0], unknownParam[1]);
      const qs = search.toString();
      const headers: Record<string, string> = {};
      if (body.contentType) headers["Content-Type"] = body.contentType;
      const url = qs ? `${path}?${qs}` : path;
      const init = { method: e.method, headers, ...(body.body === undefined ? {} : { body: body.body }) };
      return {
        endpoint: e,
        auth,
        url,
        init,
        // A counterexample prints as the request, not as the whole operation object.
        [fc.toStringMethod]: () =>
          `${e.method} ${url} auth=${auth} headers=${JSON.stringify(headers)} body=${JSON.stringify(body.body)?.slice(0, 2000)}`,
      };
    });
}
