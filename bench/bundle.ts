/**
 * The Worker's and the connectors' modules resolve like a bundler's (no file extensions), which Node
 * does not: benchmark code that runs them in Node bundles its entry with esbuild (npm packages left to
 * node_modules) and imports the bundle.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const CACHE = join("node_modules", ".cache", "pillow-bench");

/** Bundles `source` (module text, or a path relative to the project root) and imports it. */
export async function bundleForNode<T>(source: string, name: string): Promise<T> {
  // Inside the project, so that the bundle's package imports resolve from its node_modules.
  mkdirSync(CACHE, { recursive: true });
  const dir = mkdtempSync(join(CACHE, `${name}-`));
  try {
    const outfile = join(dir, `${name}.mjs`);
    const contents = source.includes("export") ? source : `export * from "./${source}";`;
    await build({
      stdin: { contents, resolveDir: process.cwd(), sourcefile: join(dir, "entry.ts"), loader: "ts" },
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      outfile,
      logLevel: "error",
    });
    return (await import(pathToFileURL(join(process.cwd(), outfile)).href)) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
