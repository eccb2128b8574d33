import { expect, it } from "vitest";
import type { PageFetcher } from "../contract/connector";
import { describeWithFixtures, fixtures } from "../test-support";
import { domainComAu } from "./domain-com-au";

/**
 * A real domain.com.au listing page's `componentProps` (a rental in Melbourne, listed 2025-09-23), as
 * kept by scrapfly/scrapfly-scrapers' Domain scraper (../shared/fixtures/scraper_output_json, origin in
 * its README). The record is read from there, never copied here, and served inside the Next.js envelope
 * the page carries it in. Values read by hand from that file.
 */
async function listingPage(): Promise<{ url: string; html: string }> {
  const res = await fetch(`${fixtures.urls.main}/raw/fixtures/scraper_output_json/scrapfly__domaincom__properties.json`);
  const [record] = (await res.json()) as Array<Record<string, unknown>>;
  const { url, ...componentProps } = record as { url: string } & Record<string, unknown>;
  const state = { props: { pageProps: { componentProps } }, page: "/listing", buildId: "saved" };
  return {
    url,
    html: `<!doctype html><html><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">${JSON.stringify(state)}</script></body></html>`,
  };
}

function pageFetcher(html: string): PageFetcher {
  return {
    requests: 0,
    get: async (u) => ({ url: u, status: 200, contentType: "text/html", text: html }),
    getJson: async () => JSON.parse(html),
  };
}

describeWithFixtures("domain.com.au listing pages (__NEXT_DATA__ componentProps)", () => {
  it("scrape() reads a rental listing page field by field; the weekly rent is stored per month", async () => {
    const { url, html } = await listingPage();
    const item = await domainComAu.scrape({ fetcher: pageFetcher(html), baseUrl: "https://www.domain.com.au" }, url);
    expect(item).toMatchObject({
      source: "domain.com.au",
      source_listing_id: "17773317",
      source_url: "https://www.domain.com.au/1518-474-flinders-street-melbourne-vic-3000-17773317",
      property_type: "apartment",
      property_subtype: "Apartment / Unit / Flat",
      listing_type: "rent",
      status: "active",
      title: "1518/474 Flinders Street, Melbourne VIC 3000",
      price: 3250, // "$750 per week" × 52 / 12
      currency: "AUD",
      bedrooms: 2,
      bathrooms: 2,
      parking_spaces: 0,
      listed_at: "2025-09-23T00:00:00.000Z",
      address: {
        unit: "1518",
        street: "474 Flinders Street",
        city: "Melbourne",
        state: "VIC",
        postal_code: "3000",
        country: "AU",
      },
      attributes: {
        display_price: "$750 per week",
        source_price: { amount: 750, period: "week" },
        agency: "Biggin & Scott Stonnington",
        available_from: "2025-10-23T00:00:00.000Z",
        bond: 3259,
        domain_status: "new",
      },
    });
    expect(item.images).toHaveLength(10);
    expect(item.images?.[0]).toBe(
      "https://rimh2.domainstatic.com.au/Ueq3Z-qu4wGvDTHQOrkuMx_2woE=/fit-in/1920x1080/filters:format(jpeg):quality(80):no_upscale()/17140018_1_1_240731_105822-w3000-h2000",
    );
    expect(item.description).toMatch(/^\*\*TO BOOK A TIME TO INSPECT.*\nThis large two-bedroom apartment is fully furnished/s);
    expect(item.features).toBeUndefined(); // the page lists none
    expect(item.location).toBeUndefined(); // no coordinates in this state
  });

  it("a page without a listing or a profile is a layout change naming both markers", async () => {
    const html = `<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"componentProps":{"listingsMap":{}}}}}</script>`;
    await expect(
      domainComAu.scrape({ fetcher: pageFetcher(html), baseUrl: "https://www.domain.com.au" }, "https://www.domain.com.au/x-1"),
    ).rejects.toMatchObject({ kind: "layout_changed", message: expect.stringContaining("componentProps.listingId") });
  });
});
