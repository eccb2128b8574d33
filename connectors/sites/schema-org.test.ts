import { expect, it } from "vitest";
import { runConnector } from "../core/run";
import { describeWithFixtures, fixtureContext, requestLog } from "../test-support";
import { schemaOrg, sitemapLocations } from "./schema-org";

// The fixture server stands in for the public site (the Mill only takes public listing URLs).
const site = (t: string) => ({
  source: `jsonld-${t}.example.mt`,
  canonicalBase: `https://jsonld-${t}.example.mt`,
  country: "MT",
  currency: "EUR",
  indexPages: `/jsonld/${t}/index?page={page}`,
  listingPattern: "/listing/\\d+$",
});

describeWithFixtures("generic schema.org connector", () => {
  it("crawls index pages → JSON-LD listings; a malformed page and a disallowed link are reported, the run goes on", async () => {
    const t = `s${crypto.randomUUID().slice(0, 8)}`;
    const { items, stats } = await runConnector(schemaOrg, fixtureContext("", site(t)), {
      location: "",
      pages: 1,
      max: 20,
      dryRun: true,
    });
    expect(items.map((i) => i.address.street)).toEqual([`1 Triq ${t}`, `3 Triq ${t}`]);
    expect(items[0]).toMatchObject({
      source: `jsonld-${t}.example.mt`,
      source_listing_id: `/jsonld/${t}/listing/1`,
      property_type: "apartment",
      listing_type: "sale",
      status: "active",
      title: "Test listing 1",
      price: 350001,
      currency: "EUR",
      bedrooms: 2,
      bathrooms: 1,
      area_living_sqm: 85,
      address: { city: "Sliema", postal_code: "SLM 1000", country: "MT" },
      location: { lat: 35.912, lng: 14.502 },
      listed_at: "2026-11-01T00:00:00.000Z",
    });
    expect(stats.errors).toEqual({ parse: 1, robots_disallowed: 1 });
    expect(stats.failures.find((f) => f.kind === "parse")?.url).toMatch(new RegExp(`/jsonld/${t}/listing/2$`));
    expect(stats.listingsFound).toBe(4);
    const log = await requestLog(t);
    expect(log.some((e) => e.path.startsWith("/private/"))).toBe(false);
    expect(log.some((e) => e.path.endsWith("/listing/3"))).toBe(true);
  });

  it("discovers listings from a sitemap", async () => {
    const t = `m${crypto.randomUUID().slice(0, 8)}`;
    const settings = { ...site(t), indexPages: undefined, sitemap: `/jsonld/${t}/sitemap.xml` };
    const { items, stats } = await runConnector(schemaOrg, fixtureContext("", settings), {
      location: "",
      pages: 1,
      max: 20,
      dryRun: true,
    });
    expect(items).toHaveLength(2);
    expect(stats.errors).toEqual({ parse: 1 });
  });

  it("parses sitemap indexes", () => {
    const xml = `<sitemapindex><sitemap><loc>https://x.mt/a.xml</loc></sitemap></sitemapindex>`;
    expect(sitemapLocations(xml)).toEqual({ sitemaps: ["https://x.mt/a.xml"], urls: [] });
  });
});

it("an index page publishing its listings as a JSON-LD ItemList: every listing comes whole, under its own URL", async () => {
  const listing = (n: number) => ({
    "@type": "RealEstateListing",
    url: `https://portal.example.mt/property/${n}`,
    name: `Flat ${n}`,
    mainEntity: {
      "@type": "Apartment",
      address: { streetAddress: `${n} Triq il-Kbira`, addressLocality: "Sliema", addressCountry: "MT" },
    },
    offers: { "@type": "Offer", price: 300000 + n, priceCurrency: "EUR" },
  });
  const html = `<html><head><script type="application/ld+json">${JSON.stringify({
    "@type": "ItemList",
    itemListElement: [1, 2, 3].map((n) => ({ "@type": "ListItem", position: n, item: listing(n) })),
  })}</script></head><body><a href="/property/1">1</a><a href="/property/2">2</a><a href="/property/3">3</a><a href="/property/4">4</a></body></html>`;
  const fetched: string[] = [];
  const ctx = {
    baseUrl: "https://portal.example.mt",
    settings: {
      source: "portal.example.mt",
      country: "MT",
      currency: "EUR",
      indexPages: "/for-sale?page={page}",
      listingPattern: "/property/[0-9]+",
    },
    fetcher: {
      requests: 0,
      get: async (url: string) => {
        fetched.push(url);
        return { url, status: 200, contentType: "text/html", text: html };
      },
      getJson: async () => ({}) as never,
    },
  };
  const page = await schemaOrg.searchPage(ctx, "", 1);
  expect(page.listings.map((l) => [l.url, l.item?.price ?? null])).toEqual([
    ["https://portal.example.mt/property/1", 300001],
    ["https://portal.example.mt/property/2", 300002],
    ["https://portal.example.mt/property/3", 300003],
    ["https://portal.example.mt/property/4", null], // linked but not in the JSON-LD: scraped on its own page
  ]);
  expect(page.listings[0]?.item).toMatchObject({
    source_listing_id: "/property/1",
    address: { street: "1 Triq il-Kbira", country: "MT" },
  });
  expect(fetched).toEqual(["https://portal.example.mt/for-sale?page=1"]);
});
