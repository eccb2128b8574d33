/**
 * Hostile saved pages through every site connector's `--from`: each page is reported on its own line
 * with why it gave nothing, the run goes on to the next page and exits non-zero, no exception escapes
 * and nothing is fetched. The pages are made here (no shared capture needed): empty, whitespace, the
 * connector's own embedded state cut off mid-way, 10 MB, binary, and another site's page.
 */
import { describe, expect, it } from "vitest";
import { type CliIo, runCli } from "./main";

const enc = new TextEncoder();

/** Each connector's embedded state, cut off where a truncated download would end. */
const TRUNCATED: Record<string, string> = {
  "rightmove-co-uk": '<html><script>window.jsonModel = {"properties":[{"id":1,"bedrooms":2,',
  "domain-com-au":
    '<html><script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"componentProps":{"listingsMap":{"1":{',
  "realestate-com-au": '<html><script>window.ArgonautExchange={"resi-property_search-experience-web":{"urqlClientCache":"{\\"a',
  "homes-co-nz": '{"cards":[{"property_details":{"display_price":"$1,2',
  "schema-org":
    '<html><script type="application/ld+json">{"@context":"https://schema.org","@type":"RealEstateListing","name":"Fl',
};

/** A page that declares another site (its canonical link), for each connector. */
const OTHER_SITE: Record<string, string> = {
  "rightmove-co-uk": "https://www.domain.com.au/sold-listings/burleigh-heads-qld-4220/",
  "domain-com-au": "https://www.rightmove.co.uk/property-to-rent/London-87490.html",
  "realestate-com-au": "https://www.domain.com.au/sold-listings/burleigh-heads-qld-4220/",
  "homes-co-nz": "https://www.realestate.com.au/buy/in-nsw/list-1",
};

function memoryIo(bytes: Map<string, Uint8Array>) {
  const out: string[] = [];
  const fetched: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => out.push(t),
    progress: () => {},
    writeFile: async () => {},
    // schema-org's --site description (a site's JSON-LD publisher).
    readFile: async () =>
      JSON.stringify({
        source: "example.com.mt",
        country: "MT",
        currency: "EUR",
        sitemap: "/sitemap.xml",
        listingPattern: "/property/[0-9]+",
      }),
    openFile: async () => {
      throw new Error("no datasets here");
    },
    fileExists: (path) => bytes.has(path) || [...bytes.keys()].some((k) => k.startsWith(`${path}/`)),
    readBytes: async (path) => {
      const b = bytes.get(path);
      if (!b) throw new Error(`no such file: ${path}`);
      return b;
    },
    listDir: async (path) => {
      const inside = [...bytes.keys()].filter((k) => k.startsWith(`${path}/`));
      return inside.length > 0 ? inside : null;
    },
    env: {},
    fetch: async (input) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      throw new Error("network used");
    },
  };
  return { io, out, fetched };
}

describe("hostile saved pages, every site connector", () => {
  it.each(Object.keys(TRUNCATED))("%s reports each hostile page on its own line and goes on", async (connector) => {
    const pages = new Map<string, Uint8Array>([
      ["h/1-empty.html", new Uint8Array(0)],
      ["h/2-blank.html", enc.encode(" \n\t \n")],
      ["h/3-truncated.html", enc.encode(TRUNCATED[connector] as string)],
      ["h/4-huge.html", new Uint8Array(10 * 1024 * 1024).fill(60)],
      ["h/5-binary.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82])],
    ]);
    const other = OTHER_SITE[connector];
    if (other)
      pages.set(
        "h/6-other-site.html",
        enc.encode(`<html><head><link rel="canonical" href="${other}"></head><body></body></html>`),
      );
    const { io, out, fetched } = memoryIo(pages);

    const site = connector === "schema-org" ? ["--site", "site.json"] : [];
    expect(await runCli([connector, "--from", "h", ...site], io)).toBe(1);
    expect(fetched).toEqual([]);
    const text = out.join("\n");
    expect(text).toMatch(/1-empty\.html\s+-\s+0\s+0\s+0\s+empty: the file is empty/);
    expect(text).toMatch(/2-blank\.html\s+-\s+0\s+0\s+0\s+empty: the page holds only whitespace/);
    // A cut-off state is a broken page (named, with where it breaks), not "no listing found".
    expect(text).toMatch(/3-truncated\.html\s+-\s+0\s+0\s+0\s+parse: .*(not valid|invalid JSON|Unexpected end)/i);
    expect(text).toMatch(/4-huge\.html\s+-\s+0\s+0\s+0\s+too_large: 10485760 bytes/);
    expect(text).toMatch(/5-binary\.png\s+-\s+0\s+0\s+0\s+binary/);
    if (other) {
      const host = new URL(other).host.replace(/^www\./, "");
      expect(text).toMatch(
        new RegExp(`6-other-site\\.html\\s+-\\s+0\\s+0\\s+0\\s+wrong_site: a page of ${host.replace(/\./g, "\\.")}`),
      );
    }
    expect(text).toMatch(new RegExp(`${pages.size} pages, 0 valid items`));
  });
});
