/** Starts one autocannon run in a child process (bench/load-worker.ts) and returns its result. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadJob, LoadResult } from "./load-worker.ts";

export type { LoadJob, LoadResult, LoadSample } from "./load-worker.ts";

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "pillow-bench-load-"));
  const jobFile = join(dir, "job.json");
  writeFileSync(jobFile, JSON.stringify(job));
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      const child = spawn(process.execPath, [new URL("./load-worker.ts", import.meta.url).pathname, jobFile], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      const out: Buffer[] = [];
      let err = "";
      child.stdout.on("data", (d: Buffer) => out.push(d));
      child.stderr.on("data", (d: Buffer) => {
        err = (err + d.toString()).slice(-4000);
      });
      child.on("error", reject);
      child.on("exit", (code) => {
        if (code !== 0) return reject(new Error(`load worker failed (${code}): ${err}`));
        try {
          resolve(JSON.parse(Buffer.concat(out).toString("utf8")) as LoadResult);
        } catch (e) {
          reject(new Error(`load worker output unreadable: ${(e as Error).message} ${err}`));
        }
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
