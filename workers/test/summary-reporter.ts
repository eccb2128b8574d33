import type { Reporter, TestModule } from "vitest/node";

/** How long the run may go without a test file finishing before the reporter names what is running. */
const QUIET_MS = 120_000;

/**
 * Ends every run with the plain line CI reads: `N passed, N failed, N skipped`.
 *
 * While the run goes on it also watches for silence: the default reporter prints a file only when it
 * ends, so a file that never ends leaves no trace. After two quiet minutes this reporter names every
 * file that has started and not ended, with how long it has been running, and does so again every two
 * minutes until something ends.
 */
export default class SummaryReporter implements Reporter {
  private readonly running = new Map<string, number>();
  private lastEnd = Date.now();
  private watch: ReturnType<typeof setInterval> | undefined;

  onInit() {
    this.watch = setInterval(() => this.reportSilence(), QUIET_MS / 4);
    this.watch.unref();
  }

  onTestModuleStart(module: TestModule) {
    this.running.set(`${module.project.name} ${module.relativeModuleId}`, Date.now());
  }

  onTestModuleEnd(module: TestModule) {
    this.running.delete(`${module.project.name} ${module.relativeModuleId}`);
    this.lastEnd = Date.now();
  }

  private reportSilence() {
    const now = Date.now();
    if (now - this.lastEnd < QUIET_MS) return;
    this.lastEnd = now;
    const files = [...this.running].map(([file, since]) => `  ${file} (running ${Math.round((now - since) / 1000)} s)`);
    process.stdout.write(
      `\nno test file has ended for ${QUIET_MS / 1000} s; running:\n${files.join("\n") || "  (none: between files or in setup/teardown)"}\n`,
    );
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    clearInterval(this.watch);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let failedTests = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failedTests++;
        else skipped++;
      }
      // A file that failed with no failed test failed outside them: it did not load, or a beforeAll or
      // afterAll threw (its tests are then reported skipped). That is a failure too, or the line says 0.
      failed += failedTests + (module.state() === "failed" && failedTests === 0 ? 1 : 0);
    }
    failed += unhandledErrors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
