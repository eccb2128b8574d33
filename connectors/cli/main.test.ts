/**
 * The CLI's code path (argument parsing, run, dry-run output), driven with in-memory I/O inside workerd
 * against the fixture site. Its dry-run JSON must validate against the ingest schema.
 */
import { describe, expect, it } from "vitest";
// The Mill's own schema (not a copy): what the batch endpoint validates with.
import { IngestItemSchema } from "../contract/ingest/schema";
import { LISTING_TYPES, PROPERTY_TYPES, STATUSES } from "../contract/vocabulary";
import rightmoveW10 from "../sites/fixtures/rightmove-co-uk/search-2025-w10-sale.html?raw";
import { rightmove } from "../sites/rightmove-co-uk";
import { describeWithFixtures, fixtures } from "../test-support";
import { type CliIo, parseArgs, runCli, UsageError } from "./main";

/** The shared fixtures, as the fixture server serves them raw (tests run inside workerd, without a file system). */
async function sharedFixture(rel: string): Promise<Uint8Array> {
  const res = await fetch(`${fixtures.urls.main}/raw/fixtures/${rel}`);
  if (!res.ok) throw new Error(`fixture ${rel}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

function memoryIo(options: { offline?: boolean } = {}) {
  const files = new Map<string, string>();
  const bytes = new Map<string, Uint8Array>();
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
    fileExists: (path) => bytes.has(path) || path.startsWith("../shared/fixtures/"),
    readBytes: async (path) => {
      const b = bytes.get(path);
      if (b) return b;
      if (path.startsWith("../shared/fixtures/")) return sharedFixture(path.slice("../shared/fixtures/".length));
      throw new Error(`no such file: ${path}`);
    },
    listDir: async (path) => {
      const inside = [...bytes.keys()].filter((k) => k.startsWith(`${path}/`));
      return inside.length > 0 ? inside : null;
    },
    env: {},
    // An offline test records (and fails) any attempt to reach the network.
    fetch: options.offline
      ? async (input) => {
          fetched.push(String(input instanceof Request ? input.url : input));
          throw new Error("network used");
        }
      : undefined,
  };
  const fetched: string[] = [];
  return { io, files, bytes, out, err, fetched };
}

it("parses flags with and without values", () => {
  expect(parseArgs(["rightmove-co-uk", "--location", "x", "--dry-run", "--max=5"])).toEqual({
    positional: ["rightmove-co-uk"],
    flags: { location: "x", "dry-run": true, max: "5" },
  });
});

describe("a strict CLI", () => {
  it("refuses an unknown flag (a mistyped --dry-rn) with usage, before anything is fetched or submitted", async () => {
    const { io, err, fetched } = memoryIo({ offline: true });
    const code = await runCli(
      ["rightmove-co-uk", "--location", "property-to-rent/London-87490", "--dry-rn", "--token", "pil_x"],
      io,
    );
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(/unknown or unexpected option: --dry-rn/);
    expect(err.join("\n")).toMatch(/usage: npm run connector/);
    expect(fetched).toEqual([]);
  });

  it("refuses a flag without its value and a count that is not a number", async () => {
    const { io, err, fetched } = memoryIo({ offline: true });
    expect(await runCli(["rightmove-co-uk", "--location"], io)).toBe(2);
    expect(err.join("\n")).toMatch(/--location/);
    expect(await runCli(["rightmove-co-uk", "--location", "--dry-run"], io)).toBe(2);
    expect(await runCli(["rightmove-co-uk", "--max", "ten", "--dry-run"], io)).toBe(2);
    expect(err.join("\n")).toMatch(/--max must be a whole number/);
    expect(() => parseArgs(["--pages"])).toThrow(UsageError);
    expect(fetched).toEqual([]);
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
    expect(out.join("\n")).toMatch(/domain-com-au\s+live\s+ok\s+20/);
    // …and against its newest saved page.
    expect(out.join("\n")).toMatch(/domain-com-au\s+fixture\s+ok\s+20/);
  });

  it("--health --offline checks every connector's parser against its newest saved page only, no network", async () => {
    const { io, bytes, out, fetched } = memoryIo({ offline: true });
    bytes.set(rightmove.healthFixture as string, new TextEncoder().encode(rightmoveW10));
    expect(await runCli(["--health", "--offline"], io)).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/rightmove-co-uk\s+fixture\s+ok\s+25/);
    expect(text).toMatch(/domain-com-au\s+fixture\s+ok\s+20/);
    expect(text).toMatch(/realestate-com-au\s+fixture\s+ok\s+25/);
    expect(fetched).toEqual([]);
  });

  it("--from a folder: per-page summary, valid ingest items, hostile pages reported per page, no network", async () => {
    const { io, bytes, files, out, fetched } = memoryIo({ offline: true });
    const enc = new TextEncoder();
    const domainState = await sharedFixture("au/domain_com_au__sold_search_burleigh_heads__2026.next_data.json");
    bytes.set("pages/1-rightmove-search.html", await sharedFixture("uk/rightmove__rent_search_london__2024.html"));
    bytes.set("pages/2-rightmove-listing.html", await sharedFixture("uk/rightmove__listing_145459589_rent__2024.html"));
    bytes.set("pages/3-empty.html", new Uint8Array(0));
    bytes.set("pages/4-truncated.html", enc.encode('<html><script>window.jsonModel = {"properties":[{"id":1,"bedrooms":2,'));
    bytes.set("pages/5-huge.html", new Uint8Array(10 * 1024 * 1024).fill(97));
    bytes.set("pages/6-binary.jpg", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1]));
    // Domain's page (its state in an HTML shell): another site's page handed to the Rightmove connector.
    bytes.set(
      "pages/7-domain.html",
      enc.encode(
        `<html><head><link rel="canonical" href="https://www.domain.com.au/sold-listings/burleigh-heads-qld-4220/"></head><body><script id=__NEXT_DATA__ type=application/json>${new TextDecoder().decode(domainState)}</script></body></html>`,
      ),
    );
    const code = await runCli(["rightmove-co-uk", "--from", "pages", "--output", "out.json"], io);
    expect(code).toBe(1); // some pages failed: said so in the exit code
    expect(fetched).toEqual([]);
    const summary = out.join("\n");
    expect(summary).toMatch(/1-rightmove-search\.html\s+search\s+25\s+25\s+/);
    expect(summary).toMatch(/2-rightmove-listing\.html\s+listing\s+1\s+1\s+/);
    expect(summary).toMatch(/3-empty\.html\s+-\s+0\s+0\s+0\s+empty: the file is empty/);
    expect(summary).toMatch(
      /4-truncated\.html\s+-\s+0\s+0\s+0\s+parse: embedded JSON is not valid: window\.jsonModel at byte \d+/,
    );
    expect(summary).toMatch(/5-huge\.html\s+-\s+0\s+0\s+0\s+too_large/);
    expect(summary).toMatch(/6-binary\.jpg\s+-\s+0\s+0\s+0\s+binary/);
    expect(summary).toMatch(/7-domain\.html\s+-\s+0\s+0\s+0\s+wrong_site: a page of domain\.com\.au, not of rightmove\.co\.uk/);
    expect(summary).toMatch(/7 pages, 26 valid items written to out\.json/);
    const items = JSON.parse(files.get("out.json") ?? "[]") as unknown[];
    expect(items).toHaveLength(26);
    for (const item of items) expect(IngestItemSchema.safeParse(item).error).toBeUndefined();
  });

  it("--from reads Domain search pages whose __NEXT_DATA__ tag has unquoted attributes (the issue's 0 of 40)", async () => {
    const { io, bytes, files, out } = memoryIo({ offline: true });
    const state = new TextDecoder().decode(
      await sharedFixture("au/domain_com_au__sold_search_burleigh_heads__2026.next_data.json"),
    );
    bytes.set(
      "d/unquoted.html",
      new TextEncoder().encode(
        `<!DOCTYPE html><html><body><div id=__next></div><script id=__NEXT_DATA__ type=application/json crossorigin=anonymous>${state}</script></body></html>`,
      ),
    );
    bytes.set(
      "d/single-quoted.html",
      new TextEncoder().encode(`<html><script type='application/json' id='__NEXT_DATA__'>\n${state}\n</script></html>`),
    );
    expect(await runCli(["domain-com-au", "--from", "d", "--output", "d.json"], io)).toBe(0);
    expect(out.join("\n")).toMatch(/single-quoted\.html\s+search\s+20\s+20/);
    expect(out.join("\n")).toMatch(/unquoted\.html\s+search\s+20\s+20/);
    expect(JSON.parse(files.get("d.json") ?? "[]")).toHaveLength(40);
  });

  it("a page of a known kind without the marker its parser reads is a layout change, named with the marker", async () => {
    const { io, bytes, out } = memoryIo({ offline: true });
    bytes.set(
      "x/new-layout.html",
      new TextEncoder().encode(
        "<html><head><title>Property to rent in London</title></head><body><div id=root></div></body></html>",
      ),
    );
    expect(await runCli(["rightmove-co-uk", "--from", "x"], io)).toBe(1);
    expect(out.join("\n")).toMatch(
      /new-layout\.html\s+-\s+0\s+0\s+0\s+layout_changed: .*no __NEXT_DATA__ props\.pageProps\.searchResults/,
    );
  });
});

it("a live run that fetches a search page of a known kind and extracts nothing exits non-zero with layout_changed and the marker", async () => {
  const { io, out, err } = memoryIo();
  // The site answers, but with a page in a layout the parser does not know (robots.txt: none).
  io.fetch = async (input) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith("/robots.txt")) return new Response("not found", { status: 404 });
    return new Response("<html><body><div id=app>Properties to rent in London</div></body></html>", {
      headers: { "content-type": "text/html" },
    });
  };
  const code = await runCli(
    ["rightmove-co-uk", "--location", "property-to-rent/London-87490", "--pages", "1", "--dry-run", "--delay", "0"],
    io,
  );
  expect(code).toBe(1);
  expect(err.join("\n")).toMatch(/layout_changed: 1 page\(s\) of a known kind gave no listing/);
  expect(out.join("\n")).toMatch(
    /layout_changed\s+https:\/\/www\.rightmove\.co\.uk\/property-to-rent\/London-87490\.html\?index=0\s+layout_changed: no __NEXT_DATA__ props\.pageProps\.searchResults\.properties/,
  );
});

it("--from over the repository's Rightmove 2025 fixture folder: 25 listings, 25 valid items, the Western Australia point flagged", async () => {
  const { io, bytes, files, out, err, fetched } = memoryIo({ offline: true });
  bytes.set("rightmove-co-uk/search-2025-w10-sale.html", new TextEncoder().encode(rightmoveW10));
  expect(await runCli(["rightmove-co-uk", "--from", "rightmove-co-uk", "--output", "w10.json"], io)).toBe(0);
  expect(fetched).toEqual([]);
  const summary = out.join("\n");
  expect(summary).toMatch(/search-2025-w10-sale\.html\s+search\s+25\s+25\s+1/);
  expect(summary).toMatch(/1 pages, 25 valid items written to w10\.json/);
  expect(err).toEqual(["  search-2025-w10-sale.html: 162977672: location_outside_country"]);
  const items = JSON.parse(files.get("w10.json") ?? "[]") as Array<{ source_listing_id: string }>;
  expect(new Set(items.map((i) => i.source_listing_id)).size).toBe(25);
  for (const item of items) expect(IngestItemSchema.safeParse(item).error).toBeUndefined();
});
