/**
 * Saved-page mode names a page by the address the page declares for itself (its canonical link or
 * `og:url`), as a live fetch would: a browser-saved listing page keeps its listing's URL and id, and only a
 * page that declares none gets a placeholder from its file name. Pages written here, in the shape of a
 * portal's listing page (a canonical link and one JSON-LD RealEstateListing).
 */
import { describe, expect, it } from "vitest";
import { rightmove } from "../sites/rightmove-co-uk";
import { schemaOrg } from "../sites/schema-org";
import { parseSavedPage } from "./saved-pages";

const settings = {
  source: "homes.example.ca",
  country: "CA",
  currency: "CAD",
  indexPages: "/",
  listingPattern: "/home/",
};
const listing = {
  "@context": "https://schema.org",
  "@type": ["Product", "RealEstateListing"],
  name: "12 Example Ave",
  offers: { "@type": "Offer", price: 1_250_000, priceCurrency: "CAD" },
  mainEntity: {
    "@type": "SingleFamilyResidence",
    address: { streetAddress: "12 Example Ave", addressLocality: "Vancouver", addressRegion: "BC", addressCountry: "CA" },
  },
};
const page = (head: string) =>
  new TextEncoder().encode(
    `<html><head>${head}<script type="application/ld+json">${JSON.stringify(listing)}</script></head><body></body></html>`,
  );

describe("saved-page mode: a page's own address", () => {
  it("takes the listing's URL and id from the page's canonical link (a browser save names the file after its title)", async () => {
    const { report, items } = await parseSavedPage(
      schemaOrg,
      "saved/12 Example Ave, Vancouver _ Homes.html",
      page('<link rel="canonical" href="https://www.homes.example.ca/bc/vancouver/12-Example-Ave/home/4711">'),
      { settings },
    );
    expect(report).toMatchObject({ kind: "listing", listings: 1, valid: 1 });
    expect(items[0]).toMatchObject({
      source_url: "https://www.homes.example.ca/bc/vancouver/12-Example-Ave/home/4711",
      source_listing_id: "/bc/vancouver/12-Example-Ave/home/4711",
    });
  });

  it("falls back to og:url, and to a placeholder from the file name when the page declares no address", async () => {
    const og = await parseSavedPage(
      schemaOrg,
      "a.html",
      page('<meta property="og:url" content="https://www.homes.example.ca/home/99?ref=a&amp;x=1">'),
      { settings },
    );
    expect(og.items[0]?.source_url).toBe("https://www.homes.example.ca/home/99?ref=a&x=1");

    const none = await parseSavedPage(schemaOrg, "dir/b.html", page(""), { settings });
    expect(none.items[0]?.source_url).toBe("https://saved-page.invalid/saved/b.html");
  });

  it("a declared address that is not http(s) is not taken", async () => {
    const { items } = await parseSavedPage(schemaOrg, "c.html", page('<link rel="canonical" href="javascript:alert(1)">'), {
      settings,
    });
    expect(items[0]?.source_url).toBe("https://saved-page.invalid/saved/c.html");
  });

  it("reads the declared address with its attributes in either order (a page of another site is that site's)", async () => {
    const { items } = await parseSavedPage(
      schemaOrg,
      "d.html",
      page(
        '<link href="https://www.homes.example.ca/home/7" rel="canonical" /><meta content="https://x.example/" property="og:url">',
      ),
      { settings },
    );
    expect(items[0]?.source_url).toBe("https://www.homes.example.ca/home/7");
    // An AngelList page (`href` first) handed to the Rightmove connector, found among 2018 Rightmove dumps.
    const other = new TextEncoder().encode(
      '<html><head><title>Startup Database - AngelList</title><link href="https://angel.co/companies" rel="canonical" /></head><body><h1>All Companies</h1></body></html>',
    );
    const { report } = await parseSavedPage(rightmove, "angel.html", other);
    expect(report.error).toEqual({ kind: "wrong_site", message: "a page of angel.co, not of rightmove.co.uk" });
  });
});
