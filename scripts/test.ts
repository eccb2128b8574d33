/**
 * README command 2: installs missing system packages, then runs every test (`vitest run`).
 *
 * The run has a deadline (TEST_DEADLINE_MINUTES, 40 by default; the whole suite takes about 10 on a
 * 2-core machine). A run that hangs past it is stopped with everything it started (Postgres, Redis,
 * workerd, wrangler, Chromium share its process group) and fails with a message, instead of holding
 * CI until CI's own limit cuts it off without a word.
 */
import { spawn } from "node:child_process";
import { ensureSystemPackages } from "./local/services.ts";

const deadlineMinutes = Number(process.env.TEST_DEADLINE_MINUTES ?? 40);

ensureSystemPackages();
const vitest = spawn("node_modules/.bin/vitest", ["run", ...process.argv.slice(2)], {
  stdio: "inherit",
  detached: true,
});
const killGroup = (signal: NodeJS.Signals) => {
  try {
    process.kill(-vitest.pid!, signal);
  } catch {}
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => killGroup(signal));

const deadline = setTimeout(() => {
  process.stdout.write(`\ntest run stopped: still running after ${deadlineMinutes} minutes\n`);
  killGroup("SIGTERM");
  setTimeout(() => {
    killGroup("SIGKILL");
    process.exit(1);
  }, 10_000).unref();
}, deadlineMinutes * 60_000);
vitest.on("exit", (code, signal) => {
  clearTimeout(deadline);
  // Whatever the group left behind (a server a teardown never reached) goes with it.
  killGroup("SIGKILL");
  process.exit(code ?? (signal ? 1 : 0));
});
