/** Text clean-up shared by every field: whitespace, HTML, case, and the folded form used in keys. */

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

/** Trims, removes control characters and collapses runs of whitespace to one space. */
export function cleanText(value: string): string {
  return value
    .replace(/\p{Cc}/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Strips markup from scraped text: tags (and the content of script/style) go, block-level tags become
 * line breaks, common entities are decoded. Paragraph breaks survive so descriptions stay readable.
 */
export function stripHtml(value: string): string {
  const text = value
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<\s*(br|\/p|\/div|\/li|\/h[1-6])\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/gi, (m, e: string) => {
      const lower = e.toLowerCase();
      if (ENTITIES[lower] !== undefined) return ENTITIES[lower];
      if (lower.startsWith("#x")) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
      if (lower.startsWith("#")) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
      return m;
    });
  return text
    .split(/\n+/)
    .map((line) => cleanText(line))
    .filter(Boolean)
    .join("\n");
}

const SMALL_WORDS = new Set(["and", "of", "the", "upon", "on", "in", "by", "de", "la", "le", "du", "van", "von"]);
/** Maltese articles written with a hyphen ("Triq il-Kbira", "Ta' Xbiex"): they stay lower case. */
const ARTICLES = new Set([
  "il",
  "l",
  "ta",
  "tal",
  "tas",
  "tad",
  "taz",
  "taż",
  "ix",
  "iż",
  "iz",
  "iċ",
  "ic",
  "is",
  "it",
  "in",
  "id",
  "ir",
  "in",
]);

function capitalise(part: string): string {
  // O'Connell, but Paul's
  const m = /^(\p{L})['’](\p{L}{2,})$/u.exec(part);
  if (m) return `${m[1]!.toUpperCase()}'${m[2]!.charAt(0).toUpperCase()}${m[2]!.slice(1)}`;
  return part.charAt(0).toUpperCase() + part.slice(1);
}

/** "ST KILDA ROAD" / "st kilda road" → "St Kilda Road". Mixed-case input is the author's choice and kept. */
export function smartCase(value: string): string {
  const hasUpper = /\p{Lu}/u.test(value);
  const hasLower = /\p{Ll}/u.test(value);
  if (hasUpper && hasLower) return value;
  return value
    .toLowerCase()
    .split(" ")
    .map((word, i) => {
      if (i > 0 && SMALL_WORDS.has(word)) return word;
      return word
        .split("-")
        .map((part, j, parts) => (i + j > 0 && j < parts.length - 1 && ARTICLES.has(part) ? part : capitalise(part)))
        .join("-");
    })
    .join(" ");
}

/** Letters Unicode does not decompose, folded by hand (Maltese ħ, Nordic ø, German ß …). */
const FOLD: Record<string, string> = { ħ: "h", ø: "o", ß: "ss", æ: "ae", œ: "oe", ł: "l", đ: "d", ı: "i" };

/**
 * The comparison form of a text: lower case, accents removed, punctuation dropped (hyphens become
 * spaces, apostrophes vanish), whitespace collapsed. Two spellings that fold alike are the same name.
 */
export function foldKey(value: string): string {
  return value
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[ħøßæœłđı]/g, (ch) => FOLD[ch] ?? ch)
    .replace(/['’`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
