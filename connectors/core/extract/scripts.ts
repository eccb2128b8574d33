/**
 * Finding structured data inside HTML without executing it: <script> bodies, JSON assigned to a global
 * (`window.PAGE_MODEL = {...}`), and Next.js's `__NEXT_DATA__`. All of it is parsed as JSON only.
 */

/** Bodies of <script> elements whose opening tag matches `attrs` (e.g. /application\/ld\+json/). */
export function scriptBodies(html: string, attrs?: RegExp): string[] {
  const out: string[] = [];
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (!attrs || attrs.test(m[1] ?? "")) out.push(m[2] ?? "");
  }
  return out;
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
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const literal = balancedJsonAt(html, m.index + m[0].length);
    if (!literal) continue;
    try {
      return JSON.parse(literal) as T;
    } catch {
      // try the next assignment
    }
  }
  return null;
}

/** Next.js page state: `<script id="__NEXT_DATA__" type="application/json">`. */
export function nextData<T = unknown>(html: string): T | null {
  for (const body of scriptBodies(html, /id=["']__NEXT_DATA__["']/)) {
    try {
      return JSON.parse(body) as T;
    } catch {
      return null;
    }
  }
  return null;
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
    const cache = JSON.parse(app.urqlClientCache) as Record<string, { data?: unknown }>;
    for (const entry of Object.values(cache)) {
      const data = typeof entry?.data === "string" ? JSON.parse(entry.data) : entry?.data;
      if (data && typeof data === "object") out.push(data as Record<string, unknown>);
    }
  }
  return out;
}
