/**
 * Building the site and docs (Astro + Starlight → site/dist), skipped when nothing changed since the
 * last build, and a report of the JavaScript each page loads (its module scripts and everything they
 * import), so a page that starts shipping a framework runtime shows up in the build output.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const DIST = "site/dist";
const STAMP = join(DIST, ".build-stamp");
const INPUTS = ["site/src", "site/public", "site/astro.config.mjs", "site/docs-sidebar.mjs", "docs", "package-lock.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function siteIsStale(): boolean {
  if (!existsSync(STAMP)) return true;
  const built = Number(readFileSync(STAMP, "utf8")) || 0;
  // PUBLIC_* settings are baked into the build: a different value is a different build.
  return Math.max(...INPUTS.map(newestMtime)) > built || readStampEnv() !== buildEnv();
}

const buildEnv = () => JSON.stringify([process.env.PUBLIC_MAP_STYLE_URL ?? "", process.env.PUBLIC_SITE_URL ?? ""]);
const readStampEnv = () => (existsSync(`${STAMP}.env`) ? readFileSync(`${STAMP}.env`, "utf8") : "");

/** Runs `astro build` (on this Node, which is Node 22 under npm scripts). Throws when it fails. */
export function buildSite(log: (line: string) => void = console.log): void {
  const started = Date.now();
  log("building the site and docs (astro build) …");
  const r = spawnSync(process.execPath, ["node_modules/astro/bin/astro.mjs", "build", "--root", "site", "--silent"], {
    stdio: ["ignore", "inherit", "inherit"],
    // A clean environment: variables set by a test runner (NODE_ENV=test, VITEST, MODE, …) make Astro
    // build a dev-flavoured site (no docs search UI). Only the path, home and PUBLIC_* settings pass.
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("PUBLIC_"))),
      ASTRO_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    },
  });
  if (r.status !== 0) throw new Error(`astro build failed (exit ${r.status})`);
  writeFileSync(STAMP, String(started));
  writeFileSync(`${STAMP}.env`, buildEnv());
  log(`site built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Builds only when the sources changed since the last build. Returns whether it built. */
export function ensureSiteBuilt(log: (line: string) => void = console.log): boolean {
  if (!siteIsStale()) return false;
  buildSite(log);
  return true;
}

function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(path));
    else if (entry.name.endsWith(".html")) out.push(path);
  }
  return out;
}

/** Module scripts a page loads, with their static imports, as files under DIST. */
function pageScripts(htmlPath: string): Set<string> {
  const html = readFileSync(htmlPath, "utf8");
  const files = new Set<string>();
  const queue = [...html.matchAll(/<script[^>]*\bsrc="([^"]+\.m?js)"/g)].map((m) => join(DIST, m[1]!));
  let inline = 0;
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    inline += m[1]!.length;
    for (const imp of m[1]!.matchAll(/(?:import|from)\s*["']([^"']+\.m?js)["']/g)) queue.push(join(DIST, imp[1]!));
  }
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file) || !existsSync(file)) continue;
    files.add(file);
    const code = readFileSync(file, "utf8");
    for (const imp of code.matchAll(/(?:import|from)\s*["'](\.{1,2}\/[^"']+\.m?js)["']/g))
      queue.push(resolve(dirname(file), imp[1]!));
  }
  if (inline) files.add(`inline:${inline}`);
  return files;
}

export function reportPageJs(print: (line: string) => void = console.log): { page: string; raw: number; gzip: number }[] {
  const rows = htmlFiles(DIST)
    .map((html) => {
      let raw = 0;
      let gzip = 0;
      for (const file of pageScripts(html)) {
        if (file.startsWith("inline:")) {
          raw += Number(file.slice(7));
          continue;
        }
        const bytes = readFileSync(file);
        raw += bytes.length;
        gzip += gzipSync(bytes).length;
      }
      const page = `/${relative(DIST, html)
        .replace(/index\.html$/, "")
        .replace(/\.html$/, "")}`;
      return { page, raw, gzip };
    })
    .sort((a, b) => a.page.localeCompare(b.page));
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`.padStart(11);
  print(`${"page".padEnd(40)} ${"JS".padStart(11)} ${"gzip".padStart(11)}`);
  for (const r of rows) print(`${r.page.padEnd(40)} ${kib(r.raw)} ${kib(r.gzip)}`);
  return rows;
}
