/**
 * The CLI's code path (argument parsing, run, dry-run output), driven with in-memory I/O inside workerd
 * against the fixture site. Its dry-run JSON must validate against the ingest schema.
 */
import { expect, it } from "vitest";
// The Mill's own schema (not a copy): what the batch endpoint validates with.
import { IngestItemSchema } from "../../workers/src/pkg/ingest/schema";
import { LISTING_TYPES, PROPERTY_TYPES, STATUSES } from "../../workers/src/pkg/vocabulary";
import { describeWithFixtures, fixtures } from "../test-support";
import { type CliIo, parseArgs, runCli } from "./main";

function memoryIo() {
  const files = new Map<string, string>();
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    progress: () => {},
    writeFile: async (path, text) => void files.set(path, text),
    readFile: async (path) => files.get(path) ?? "",
    openFile: async (path) =>
      (await fetch(`${fixtures.urls.main}/raw/datasets/${path.split("/").at(-1)}`)).body as ReadableStream<Uint8Array>,
    fileExists: () => false,
    env: {},
  };
  return { io, files, out, err };
}

it("parses flags with and without values", () => {
  expect(parseArgs(["rightmove-co-uk", "--location", "x", "--dry-run", "--max=5"])).toEqual({
    positional: ["rightmove-co-uk"],
    flags: { location: "x", "dry-run": true, max: "5" },
  });
});

describeWithFixtures("connector CLI", () => {
  it("--dry-run --output writes normalised JSON that validates against the ingest schema", async () => {
    const { io, files, out } = memoryIo();
    const code = await runCli(
      [
        "rightmove-co-uk",
        "--location",
        "property-to-rent/London-87490",
        "--pages",
        "2",
        "--max",
        "12",
        "--dry-run",
        "--output",
        "out.json",
        "--base-url",
        `${fixtures.urls.main}/rightmove`,
        "--allow-host",
        "127.0.0.1",
        "--delay",
        "5",
      ],
      io,
    );
    expect(code).toBe(0);
    const items = JSON.parse(files.get("out.json") ?? "[]") as Array<Record<string, unknown>>;
    expect(items).toHaveLength(12);
    for (const item of items) {
      expect(IngestItemSchema.safeParse(item).error).toBeUndefined();
      // Normalised: Pillow's vocabulary and plain numbers, not the source's words or display prices.
      expect(PROPERTY_TYPES).toContain(item.property_type);
      expect(LISTING_TYPES).toContain(item.listing_type);
      expect(STATUSES).toContain(item.status);
      expect(item).toMatchObject({ source: "rightmove.co.uk", currency: "GBP", address: { country: "GB" } });
      expect(typeof item.price).toBe("number");
    }
    const summary = out.join("\n");
    expect(summary).toMatch(/connector\s+location\s+pages/);
    expect(summary).toMatch(/rightmove-co-uk\s+property-to-rent\/London-87490\s+1\s+/);
  });

  it("imports a dataset in dry run and prints its report", async () => {
    const { io, files, out } = memoryIo();
    expect(await runCli(["uk-ppd-newcastle", "--dry-run", "--limit", "50", "--output", "ppd.json"], io)).toBe(0);
    const items = JSON.parse(files.get("ppd.json") ?? "[]") as unknown[];
    expect(items).toHaveLength(50);
    for (const item of items) expect(IngestItemSchema.safeParse(item).error).toBeUndefined();
    expect(out.join("\n")).toMatch(/uk-ppd-newcastle\s+50\s+0/);
  });

  it("lists connectors and datasets, and refuses unknown names", async () => {
    const { io, out, err } = memoryIo();
    expect(await runCli(["--list"], io)).toBe(0);
    expect(out.join("\n")).toMatch(/rightmove-co-uk\s+GB/);
    expect(out.join("\n")).toMatch(/kc-house-data\s+US\s+CC0/);
    expect(await runCli(["nope"], io)).toBe(2);
    expect(err.join("\n")).toMatch(/unknown connector or dataset "nope"/);
  });

  it("--health reports a connector against the fixture site", async () => {
    const { io, out } = memoryIo();
    const code = await runCli(
      ["domain-com-au", "--health", "--base-url", `${fixtures.urls.main}/domain`, "--allow-host", "127.0.0.1", "--delay", "5"],
      io,
    );
    expect(code).toBe(0);
    expect(out.join("\n")).toMatch(/domain-com-au\s+ok\s+20/);
  });
});
