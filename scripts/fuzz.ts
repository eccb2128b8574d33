/**
 * `npm run fuzz -- --runs N [--seed S]`: the API fuzzer (workers/src/routes/openapi.fuzz.security.test.ts)
 * alone, for longer runs or other sequences than `npm test`'s fixed seed. It boots the test data plane
 * like `npm test` does; a failure prints the shrunk request, and the seed reproduces it.
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { ensureSystemPackages } from "./local/services.ts";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "20000" }, seed: { type: "string" } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive whole number");
const seed = values.seed ?? String(Date.now() % 2 ** 31);
if (!/^\d+$/.test(seed)) throw new Error("--seed must be a whole number");
console.log(`fuzz: ${runs} requests, seed ${seed}`);

ensureSystemPackages();
const vitest = spawn(
  "node_modules/.bin/vitest",
  ["run", "--project", "workers", "workers/src/routes/openapi.fuzz.security.test.ts"],
  { stdio: "inherit", detached: true, env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: seed } },
);
const killGroup = (signal: NodeJS.Signals) => {
  try {
    process.kill(-vitest.pid!, signal);
  } catch {}
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => killGroup(signal));
vitest.on("exit", (code, signal) => {
  killGroup("SIGKILL");
  if (code !== 0) console.log(`fuzz: failed; rerun the same sequence with --runs ${runs} --seed ${seed}`);
  process.exit(code ?? (signal ? 1 : 0));
});
