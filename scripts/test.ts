/** README command 2: installs missing system packages, then runs every test inside workerd. */
import { spawn } from "node:child_process";
import { ensureSystemPackages } from "./local/services.ts";

ensureSystemPackages();
const vitest = spawn("node_modules/.bin/vitest", ["run", ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => vitest.kill(signal));
vitest.on("exit", (code) => process.exit(code ?? 1));
