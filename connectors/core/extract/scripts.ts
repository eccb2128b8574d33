/**
 * Finding structured data inside HTML without executing it: <script> bodies, JSON assigned to a global
 * (`window.PAGE_MODEL = {...}`), and Next.js's `__NEXT_DATA__`. All of it is parsed as JSON only.
 */
import { parseDocument } from "./html";

export type ScriptBlock = {
  /** The element's attributes, as the HTML parser read them (any quoting, any order, any case). */
  attributes: Record<string, string>;
  text: string;
};

/**
 * Every <script> element of a page, found by the HTML parser (linkedom) rather than a pattern, so
 * `<script id=__NEXT_DATA__ type=application/json>`, single quotes, extra attributes and minified or
 * pretty markup are all the same to the connectors.
 */
export function scriptBlocks(html: string): ScriptBlock[] {
  const out: ScriptBlock[] = [];
  for (const el of parseDocument(html).querySelectorAll("script")) {
    const attributes: Record<string, string> = {};
    for (const attr of el.attributes) attributes[attr.name.toLowerCase()] = attr.value;
    out.push({ attributes, text: el.textContent ?? "" });
  }
  return out;
}

/** Bodies of <script> elements whose attributes match `match` (all of them without one). */
export function scriptBodies(html: string, match?: (attributes: Record<string, string>) => boolean): string[] {
  return scriptBlocks(html)
    .filter((s) => !match || match(s.attributes))
    .map((s) => s.text);
}

/** UTF-8 length of a string: error offsets are reported in bytes of the page, as editors and `dd` count them. */
function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * Parses embedded JSON; a syntax error becomes an `EmbeddedJsonError` naming what was parsed and the
 * byte offset in the page where parsing failed (a truncated capture, a changed serialiser), not a
 * "not found".
 */
export function parseEmbeddedJson<T = unknown>(body: string, what: string, page?: string): T {
  try {
    return JSON.parse(body) as T;
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const inBody = at ? Number(at[1]) : body.length;
    const start = page ? page.indexOf(body) : -1;
    const offset =
      start >= 0 ? utf8Length(page!.slice(0, start)) + utf8Length(body.slice(0, inBody)) : utf8Length(body.slice(0, inBody));
    throw new EmbeddedJsonError(what, offset, message);
  }
}

export class EmbeddedJsonError extends Error {
  constructor(
    readonly what: string,
    /** Byte offset (UTF-8) in the page, or in the JSON text when the page is not known. */
    readonly offset: number,
    detail: string,
  ) {
    super(`embedded JSON is not valid: ${what} at byte ${offset} (${detail})`);
    this.name = "EmbeddedJsonError";
  }
}

/**
 * The JSON value that starts at the first `{` or `[` at or after `from`, found by bracket matching
 * (strings and escapes respected), so trailing JavaScript after the literal does not matter.
 */
export function balancedJsonAt(text: string, from: number): string | null {
  let start = -1;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === "{" || ch === "[") {
      start = i;
      break;
    }
    if (ch !== " " && ch !== "\n" && ch !== "\r" && ch !== "\t" && ch !== "=") return null;
  }
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return null;
}

/**
 * The JSON literal assigned to `name` (`window.PAGE_MODEL = {…}`) or given as an object-literal
 * property (`propertyObject: {…}`), or null when absent/unparseable.
 */
export function assignedJson<T = unknown>(html: string, name: string): T | null {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`${escaped}\\s*[=:]\\s*`, "g");
  let failure: EmbeddedJsonError | null = null;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const from = m.index + m[0].length;
    const literal = balancedJsonAt(html, from);
    if (!literal) {
      // An opening bracket that never closes: the page was cut off inside the state.
      if (/^\s*[{[]/.test(html.slice(from, from + 10)))
        failure ??= new EmbeddedJsonError(name, utf8Length(html), "the JSON literal is not closed before the end of the page");
      continue;
    }
    try {
      return JSON.parse(literal) as T;
    } catch {
      // Another assignment further on may be the real one; remember where this one failed.
      try {
        parseEmbeddedJson(literal, name, html);
      } catch (err) {
        failure ??= err as EmbeddedJsonError;
      }
    }
  }
  if (failure) throw failure;
  return null;
}

/**
 * Next.js page state: `<script id="__NEXT_DATA__" type="application/json">` (found by the HTML parser,
 * whatever the attribute quoting). Null when the page has none; `EmbeddedJsonError` when it is not JSON.
 */
export function nextData<T = unknown>(html: string): T | null {
  // A page saved reduced to its Next.js state (the JSON alone) is read as that state.
  const trimmed = html.trimStart();
  if (trimmed.startsWith("{")) {
    const state = parseEmbeddedJson<Record<string, unknown>>(trimmed, "__NEXT_DATA__");
    return state && typeof state === "object" && "props" in state ? (state as T) : null;
  }
  const block = scriptBlocks(html).find((s) => s.attributes.id === "__NEXT_DATA__");
  if (!block) return null;
  return parseEmbeddedJson<T>(block.text.trim(), "__NEXT_DATA__", html);
}

/**
 * realestate.com.au's `window.ArgonautExchange`: an object whose `urqlClientCache` values are JSON
 * strings, whose entries' `data` values are JSON strings again. Returns every decoded `data` object.
 */
export function argonautUrqlData(html: string): Record<string, unknown>[] {
  const exchange = assignedJson<Record<string, { urqlClientCache?: string }>>(html, "window.ArgonautExchange");
  if (!exchange) return [];
  const out: Record<string, unknown>[] = [];
  for (const app of Object.values(exchange)) {
    if (typeof app?.urqlClientCache !== "string") continue;
    const cache = parseEmbeddedJson<Record<string, { data?: unknown }>>(app.urqlClientCache, "ArgonautExchange urqlClientCache");
    for (const entry of Object.values(cache)) {
      const data = typeof entry?.data === "string" ? parseEmbeddedJson(entry.data, "ArgonautExchange urql entry") : entry?.data;
      if (data && typeof data === "object") out.push(data as Record<string, unknown>);
    }
  }
  return out;
}
