/**
 * `npm run openapi [-- --out file.json] [--lint]`: builds the OpenAPI document from the app itself, in
 * this process and without a server or bindings (the same `getOpenAPI31Document` call that serves
 * `/api/v1/openapi.json`), and with `--lint` checks it with Redocly (rules in `redocly.yaml`); any
 * error fails. `npm run lint` runs it with `--lint`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const { values } = parseArgs({ options: { out: { type: "string" }, lint: { type: "boolean" } } });

const dir = mkdtempSync(join(tmpdir(), "pillow-openapi-"));
try {
  // The Worker's source is bundled for Node; the runtime module `cloudflare:workers` (used by the
  // Durable Object class, never called while the document is built) gets an empty stand-in.
  const bundle = join(dir, "app.mjs");
  await build({
    entryPoints: ["workers/src/app.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: bundle,
    logLevel: "error",
    plugins: [
      {
        name: "cloudflare-runtime-stub",
        setup(b) {
          b.onResolve({ filter: /^cloudflare:/ }, (a) => ({ path: a.path, namespace: "stub" }));
          b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
            contents: "export class DurableObject {}; export const env = {};",
          }));
        },
      },
    ],
  });
  const { app, openApiConfig } = (await import(pathToFileURL(bundle).href)) as typeof import("../workers/src/app.ts");
  const doc = app.getOpenAPI31Document(openApiConfig("http://127.0.0.1:8787", "dev"));
  const out = values.out ?? join(dir, "openapi.json");
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  if (values.out) console.error(`openapi: wrote ${out}`);
  if (values.lint) {
    const lint = spawnSync("node_modules/.bin/redocly", ["lint", "--config", "redocly.yaml", "--format", "codeframe", out], {
      stdio: "inherit",
    });
    process.exitCode = lint.status ?? 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
