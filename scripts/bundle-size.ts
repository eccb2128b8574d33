/** `npm run bundle-size`: builds the Worker with `wrangler deploy --dry-run` and prints its gzipped size. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const out = mkdtempSync(join(tmpdir(), "pillow-bundle-"));
mkdirSync("site/dist", { recursive: true });
const build = spawnSync("node_modules/.bin/wrangler", ["deploy", "--dry-run", "--outdir", out], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
let raw = 0;
let gz = 0;
for (const name of readdirSync(out)) {
  const file = join(out, name);
  if (!statSync(file).isFile() || !/\.(m?js|wasm)$/.test(name)) continue;
  const bytes = readFileSync(file);
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
  console.log(
    `${name.padEnd(24)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KiB  ${(gzipSync(bytes).length / 1024).toFixed(1).padStart(8)} KiB gzip`,
  );
}
console.log(`${"total".padEnd(24)} ${(raw / 1024).toFixed(1).padStart(8)} KiB  ${(gz / 1024).toFixed(1).padStart(8)} KiB gzip`);
rmSync(out, { recursive: true, force: true });
