// The docs sidebar: the pages this project curates first, then every other page found in docs/ (other
// engineers add pages there), so a new page is never orphaned and a missing one never becomes a dead link.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const CURATED = {
  Start: ["index", "quickstart", "guides/get-an-api-key", "architecture", "data-model"],
  API: ["@api-reference", "examples", "api-search", "ingest", "saved-searches", "auth", "geocoding"],
  Guides: [
    "guides/local-development",
    "guides/deploying",
    "guides/oidc-provider",
    "guides/writing-a-connector",
    "guides/enrichment-loop",
    "guides/site",
    "guides/adding-a-field",
    "query-design",
    "connectors",
    "enrichment",
  ],
};

function listPages(dir, prefix = "") {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...listPages(`${dir}${entry.name}/`, `${prefix}${entry.name}/`));
    else if (/\.mdx?$/.test(entry.name)) out.push(`${prefix}${entry.name.replace(/\.mdx?$/, "")}`.toLowerCase());
  }
  return out;
}

function titleOf(root, page) {
  for (const ext of [".md", ".mdx"]) {
    const file = `${root}${page}${ext}`;
    if (existsSync(file)) return /^title:\s*["']?(.+?)["']?\s*$/m.exec(readFileSync(file, "utf8"))?.[1] ?? page;
  }
  return page;
}

export function docsSidebar(docsUrl) {
  const root = fileURLToPath(docsUrl);
  const pages = existsSync(root) ? listPages(root) : [];
  const item = (page) =>
    page === "@api-reference"
      ? { label: "API reference (explorer)", link: "/docs/api-reference/" }
      : { label: titleOf(root, page), link: page === "index" ? "/docs/" : `/docs/${page}/` };
  const groups = Object.entries(CURATED).map(([label, list]) => ({
    label,
    items: list.filter((p) => p.startsWith("@") || pages.includes(p)).map(item),
  }));
  const curated = new Set(Object.values(CURATED).flat());
  const rest = pages.filter((p) => !curated.has(p)).sort();
  if (rest.length) groups.push({ label: "More", items: rest.map(item) });
  return groups;
}
