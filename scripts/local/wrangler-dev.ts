/**
 * `wrangler dev` as the local stacks run it (`npm start` and the browser tests): on 127.0.0.1 and a
 * given port, its state in a given folder, its secrets from an env file of the stack's own (never a
 * stray `.dev.vars`), and everything else as `--var`s: with `[secrets]` in wrangler.toml, wrangler dev
 * takes only the declared secrets from an env file.
 */
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "./data-dir.ts";

export function wranglerDevArgs(options: {
  port: number;
  persistTo: string;
  envFile: string;
  vars?: Record<string, string>;
  /** The Worker's configuration (default wrangler.toml, the data Worker). */
  config?: string;
}): string[] {
  return [
    "dev",
    ...(options.config ? ["-c", options.config] : []),
    "--ip",
    "127.0.0.1",
    "--port",
    String(options.port),
    "--persist-to",
    options.persistTo,
    "--env-file",
    options.envFile,
    "--show-interactive-dev-session=false",
    ...Object.entries(options.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
}

/** Writes `values` as a dotenv file readable by its owner only; values are single-quoted so JSON stays literal. */
export function writeEnvFile(path: string, values: Record<string, string>): void {
  const lines = Object.entries(values).map(([k, v]) => `${k}='${v}'`);
  writeFileAtomic(path, `${lines.join("\n")}\n`, 0o600);
}

/** Reads a file written by writeEnvFile back. */
export function readEnvFile(path: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (match) values[match[1] as string] = match[2] as string;
  }
  return values;
}
