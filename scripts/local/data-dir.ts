/**
 * The persistent local data folder of `npm start` (`.pillow/` by default, git-ignored): Postgres and
 * Redis data, the local JWT keys, wrangler's own state, a lock that keeps a second `npm start` off the
 * same data, and a note of how far the demo data load got.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateJwtKeys, type JwtKeyBindings } from "./jwt-keys.ts";

const LOCK = "npm-start.lock";

export class AlreadyRunningError extends Error {
  readonly pid: number;
  readonly port: number | undefined;
  constructor(pid: number, port: number | undefined, dir: string) {
    super(
      `Pillow is already running on this data (pid ${pid}${port ? `, http://127.0.0.1:${port}` : ""}; lock ${join(dir, LOCK)}). ` +
        "Stop it first (Ctrl-C in its terminal), or use another folder with PILLOW_DATA_DIR=….",
    );
    this.pid = pid;
    this.port = port;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie (exited, not yet reaped) holds nothing.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * Takes the folder's lock for this process, or throws AlreadyRunningError when a live process holds it.
 * A lock left by a process that no longer runs (killed with SIGKILL, machine restarted) is taken over.
 */
export function acquireLock(dir: string, port: number): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid, port }), { flag: "wx" });
      return () => {
        try {
          const held = JSON.parse(readFileSync(path, "utf8")) as { pid: number };
          if (held.pid === process.pid) rmSync(path, { force: true });
        } catch {}
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let held: { pid?: number; port?: number } = {};
      try {
        held = JSON.parse(readFileSync(path, "utf8"));
      } catch {}
      if (held.pid && held.pid !== process.pid && isRunning(held.pid)) throw new AlreadyRunningError(held.pid, held.port, dir);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

/** Deletes everything in the folder but the lock (which the caller holds). */
export function wipeDataDir(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) if (entry !== LOCK) rmSync(join(dir, entry), { recursive: true, force: true });
}

/** Writes a file whole or not at all: an interrupted write leaves the previous version. */
export function writeFileAtomic(path: string, content: string, mode = 0o644): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}

/**
 * The local JWT signing keys, made on the first start and kept (readable by the owner only), so that a
 * restart does not sign everyone out. `--reset` makes new ones.
 */
export async function persistentJwtKeys(dir: string): Promise<JwtKeyBindings> {
  const path = join(dir, "jwt-keys.json");
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as JwtKeyBindings;
  const keys = await generateJwtKeys("local");
  writeFileAtomic(path, JSON.stringify(keys), 0o600);
  return keys;
}

/**
 * How far the demo data load got: absent (never started), "loading" (started, maybe interrupted) or
 * "loaded". The load is idempotent (ingest merges a re-submitted listing into the same property), so an
 * interrupted one is simply run again.
 */
export type DemoState = "loading" | "loaded" | undefined;

export function readDemoState(dir: string): DemoState {
  const path = join(dir, "demo-state");
  if (!existsSync(path)) return undefined;
  const state = readFileSync(path, "utf8").trim();
  return state === "loaded" || state === "loading" ? state : undefined;
}

export function writeDemoState(dir: string, state: Exclude<DemoState, undefined>): void {
  writeFileAtomic(join(dir, "demo-state"), `${state}\n`);
}
