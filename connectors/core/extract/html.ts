/** HTML through linkedom (a DOM implementation that runs in workerd): for pages without structured data. */
import { parseHTML } from "linkedom";

export type HtmlDocument = ReturnType<typeof parseHTML>["document"];

export function parseDocument(html: string): HtmlDocument {
  return parseHTML(html).document;
}

/** Trimmed text content of the first match, or null. */
export function textOf(
  root: { querySelector(s: string): { textContent: string | null } | null },
  selector: string,
): string | null {
  const t = root.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim();
  return t ? t : null;
}
