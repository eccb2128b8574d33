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
