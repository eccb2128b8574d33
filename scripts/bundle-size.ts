/**
 * `npm run bundle-size`: builds both Workers with `wrangler deploy --dry-run` (the data Worker of
 * wrangler.toml and the front Worker of wrangler.front.toml, as `npm run deploy` uploads them), which
 * checks each configuration as deployed, and prints their gzipped sizes.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const CONFIGS = ["wrangler.toml", "wrangler.front.toml"];

mkdirSync("site/dist", { recursive: true });
for (const config of CONFIGS) {
  const out = mkdtempSync(join(tmpdir(), "pillow-bundle-"));
  const build = spawnSync("node_modules/.bin/wrangler", ["deploy", "--dry-run", "-c", config, "--outdir", out], {
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  let raw = 0;
  let gz = 0;
  console.log(config);
  for (const name of readdirSync(out)) {
    const file = join(out, name);
    if (!statSync(file).isFile() || !/\.(m?js|wasm)$/.test(name)) continue;
    const bytes = readFileSync(file);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
    console.log(
      `  ${name.padEnd(24)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KiB  ${(gzipSync(bytes).length / 1024).toFixed(1).padStart(8)} KiB gzip`,
    );
  }
  console.log(
    `  ${"total".padEnd(24)} ${(raw / 1024).toFixed(1).padStart(8)} KiB  ${(gz / 1024).toFixed(1).padStart(8)} KiB gzip`,
  );
  rmSync(out, { recursive: true, force: true });
}
