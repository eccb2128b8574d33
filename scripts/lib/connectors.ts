/**
 * Loads the connectors' CLI module in Node. Connector code is shared with the Worker and written for a
 * bundler (extensionless imports), so Node scripts bundle it once with esbuild (shipped with wrangler)
 * into node_modules/.cache and import the result; npm packages stay external.
 */
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export type CliModule = {
  runCli: (argv: string[], io: unknown) => Promise<number>;
  reportTable: (reports: unknown[]) => string;
};

export async function loadConnectorCli(): Promise<CliModule> {
  const outfile = join(root, "node_modules/.cache/pillow/connector-cli.mjs");
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(root, "connectors/cli/main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    logLevel: "warning",
  });
  return (await import(`${outfile}?v=${Date.now()}`)) as CliModule;
}

/** File and terminal access for the CLI in Node. Paths are relative to the repository root. */
export function nodeIo(options: { quiet?: boolean } = {}) {
  const tty = process.stderr.isTTY && !options.quiet;
  let lastProgress = 0;
  const at = (path: string) => resolve(root, path);
  return {
    out: (text: string) => process.stdout.write(`${text}\n`),
    err: (text: string) => process.stderr.write(`${text}\n`),
    progress: (text: string) => {
      if (options.quiet) return;
      if (tty) process.stderr.write(`\r\x1b[K${text}`);
      else if (text && Date.now() - lastProgress > 2000) {
        lastProgress = Date.now();
        process.stderr.write(`${text}\n`);
      }
    },
    writeFile: async (path: string, text: string) => writeFileSync(resolve(process.cwd(), path), text),
    readFile: (path: string) => readFile(resolve(process.cwd(), path), "utf8"),
    openFile: async (path: string) => {
      const full = existsSync(resolve(process.cwd(), path)) ? resolve(process.cwd(), path) : at(path);
      const stream = Readable.toWeb(createReadStream(full)) as unknown as ReadableStream<Uint8Array>;
      // Gzipped files (the demo data in db/demo) are inflated on the fly.
      const magic = Buffer.alloc(2);
      const fd = openSync(full, "r");
      readSync(fd, magic, 0, 2, 0);
      closeSync(fd);
      const gunzip = new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
      return magic[0] === 0x1f && magic[1] === 0x8b ? stream.pipeThrough(gunzip) : stream;
    },
    fileExists: (path: string) => existsSync(resolve(process.cwd(), path)) || existsSync(at(path)),
    readBytes: async (path: string) => new Uint8Array(await readFile(resolve(process.cwd(), path))),
    listDir: async (path: string) => {
      const full = resolve(process.cwd(), path);
      if (!existsSync(full) || !statSync(full).isDirectory()) return null;
      return readdirSync(full, { withFileTypes: true })
        .filter((e) => e.isFile() && !e.name.startsWith("."))
        .map((e) => join(path, e.name));
    },
    env: process.env as Record<string, string | undefined>,
  };
}
