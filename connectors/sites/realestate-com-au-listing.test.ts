import { describe, expect, it } from "vitest";
import type { PageFetcher } from "../contract/connector";
import { jsonLdNodes } from "../core/extract/jsonld";
import { parseSavedPage } from "../core/saved-pages";
import mountWaverley from "./fixtures/realestate-com-au/listing-2025-mount-waverley.fragments.html?raw";
import pointCook from "./fixtures/realestate-com-au/listing-2026-point-cook.capture.json";
import seabrook from "./fixtures/realestate-com-au/listing-2026-seabrook-withheld.capture.json";
import { realestateComAu } from "./realestate-com-au";
import {
  indicativeFromText,
  priceFromText,
  type ReaListingSignals,
  reaListingFromSignals,
  reaListingPageToItem,
  reaListingSignals,
  summaryFeatures,
} from "./realestate-com-au-listing";

// Values read by hand from the captures in fixtures/realestate-com-au (origins in its README).

type Capture = {
  jsonLd: unknown[];
  ariaLabels: string[];
  title?: string;
  ogTitle?: string;
  ogDescription?: string;
  ogImage?: string;
  bodyText?: string;
};

/**
 * A capture holds what a browser read off the live page: its JSON-LD blocks, its aria-labels in order,
 * its title and og: tags and its visible text. The blocks go through the same JSON-LD reader as a
 * page's <script type="application/ld+json"> elements.
 */
function signalsOf(capture: Capture): ReaListingSignals {
  const blocks = capture.jsonLd.map((b) => `<script type="application/ld+json">${JSON.stringify(b)}</script>`).join("");
  return {
    jsonLd: jsonLdNodes(blocks),
    ariaLabels: capture.ariaLabels,
    title: capture.title,
    ogTitle: capture.ogTitle,
    ogDescription: capture.ogDescription,
    ogImage: capture.ogImage,
    bodyText: capture.bodyText,
  };
}

describe("realestate.com.au 2026 listing pages (empty ArgonautExchange, JSON-LD + ARIA summary)", () => {
  it("reads a for-sale house (Point Cook) field by field", () => {
    const item = reaListingFromSignals(signalsOf(pointCook));
    expect(item).toEqual({
      source: "realestate.com.au",
      source_listing_id: "152196328",
      source_url: "https://www.realestate.com.au/property-house-vic-point+cook-152196328",
      property_type: "house",
      property_subtype: "House",
      listing_type: "sale",
      status: "active",
      title: "46 Astoria Drive, Point Cook",
      description: expect.stringMatching(/^Presenting this generously sized double-storey family home, .*\nBoasting si$/s),
      price: 820000,
      price_qualifier: "range",
      currency: "AUD",
      bedrooms: 6,
      bathrooms: 3,
      parking_spaces: 2,
      address: { street: "46 Astoria Drive", city: "Point Cook", state: "VIC", postal_code: "3030", country: "AU" },
      images: ["https://i2.au.reastatic.net/800x600/7adb91e2241e229e7cab6676b0b7a0568592eaae40e0f04b412919938e0acfe9/image.png"],
      attributes: {
        display_price: "$820,000 - $902,000",
        price_max: 902000,
        agency: "Example Agency",
        inspections: [{ start: "2026-09-05T12:00:00+10:00", end: "2026-09-05T12:30:00+10:00" }],
      },
    });
  });

  it("reads a listing whose address is withheld (Seabrook): suburb, state and postcode from the breadcrumb", () => {
    const item = reaListingFromSignals(signalsOf(seabrook));
    expect(item).toMatchObject({
      source_listing_id: "151867256",
      source_url: "https://www.realestate.com.au/property-house-vic-seabrook-151867256",
      property_type: "house",
      listing_type: "sale",
      status: "active",
      title: "Seabrook",
      price: 745000,
      price_qualifier: "range",
      bedrooms: 3,
      bathrooms: 1,
      parking_spaces: 2,
      area_land_sqm: 609,
      address: { city: "Seabrook", state: "VIC", postal_code: "3028", country: "AU" },
      images: ["https://i2.au.reastatic.net/800x600/692159e282bb03ad7f5c6d9b07917fce9d655f62ae93dca114e7cf42f1e835ad/image.jpg"],
      attributes: { display_price: "$745,000 - $765,000", price_max: 765000, address_withheld: true },
    });
    expect(item?.address.street).toBeUndefined();
    expect(item?.area_living_sqm).toBeUndefined();
    expect(item?.description).toMatch(/^An outstanding opportunity .*\n• Ideal for SMSF/s);
  });

  it("reads the HTML of the 2025 listing markup (Mount Waverley): heading, labelled features, auction with indicative range", () => {
    const signals = reaListingSignals(mountWaverley);
    expect(signals.heading).toBe("2A Donald Street, Mount Waverley, Vic 3149");
    expect(signals.priceText).toBe("AUCTION");
    expect(signals.indicativePrice).toBe("$1,250,000 - $1,350,000");
    expect(signals.ariaLabels[0]).toBe("Townhouse with 237m² land size with 4 bedrooms  3 bathrooms 2 car spaces");

    const item = reaListingPageToItem(
      mountWaverley,
      "https://www.realestate.com.au/property-townhouse-vic-mount+waverley-149968316",
    );
    expect(item).toMatchObject({
      source_listing_id: "149968316",
      source_url: "https://www.realestate.com.au/property-townhouse-vic-mount+waverley-149968316",
      property_type: "townhouse",
      property_subtype: "Townhouse",
      listing_type: "sale",
      status: "active",
      price: 1250000,
      price_qualifier: "auction",
      bedrooms: 4,
      bathrooms: 3,
      parking_spaces: 2,
      area_land_sqm: 237,
      address: { street: "2A Donald Street", city: "Mount Waverley", state: "VIC", postal_code: "3149", country: "AU" },
      attributes: { display_price: "AUCTION", indicative_price: "$1,250,000 - $1,350,000", price_max: 1350000 },
    });
  });

  it("scrape() falls back to this layout when the page's ArgonautExchange holds no listing", async () => {
    const url = "https://www.realestate.com.au/property-townhouse-vic-mount+waverley-149968316";
    const page = `<script>window.ArgonautExchange={"resi-property_listing-experience-web":{}}</script>${mountWaverley}`;
    const fetcher: PageFetcher = {
      requests: 0,
      get: async (u) => ({ url: u, status: 200, contentType: "text/html", text: page }),
      getJson: async () => {
        throw new Error("not JSON");
      },
    };
    const item = await realestateComAu.scrape({ fetcher, baseUrl: "https://www.realestate.com.au" }, url);
    expect(item).toMatchObject({ source_listing_id: "149968316", bedrooms: 4, price: 1250000 });
  });

  it("a saved page of this layout goes through saved-page mode (--from) as a listing page", async () => {
    // The quoted markup with the two things every such page has around it: its canonical link and the
    // empty ArgonautExchange.
    const url = "https://www.realestate.com.au/property-townhouse-vic-mount+waverley-149968316";
    const page = `<link rel="canonical" href="${url}"><script>window.ArgonautExchange={"resi-property_listing-experience-web":{}}</script>${mountWaverley}`;
    const { report, items } = await parseSavedPage(realestateComAu, "listing.html", new TextEncoder().encode(page));
    expect(report).toMatchObject({ kind: "listing", listings: 1, valid: 1 });
    expect(items[0]).toMatchObject({ source_url: url, source_listing_id: "149968316", price: 1250000, area_land_sqm: 237 });
  });

  it("names no listing when the page has neither a listing URL nor a property id", () => {
    expect(reaListingFromSignals({ ...signalsOf(pointCook), jsonLd: [] })).toBeNull();
    expect(
      reaListingPageToItem("<html><body><h1>Buy in NSW</h1></body></html>", "https://www.realestate.com.au/buy/in-nsw/list-1"),
    ).toBeNull();
  });
});

describe("the summary's ARIA labels and the price text, read by structure", () => {
  it("reads type and counts from summary labels of any type, with or without land and building sizes", () => {
    // Labels as REA's 2026 rental pages give them (quoted in public scraper output, see the README).
    expect(summaryFeatures(["Apartment  with 2 bedrooms  1 bathroom"])).toEqual({
      type: "Apartment",
      bedrooms: 2,
      bathrooms: 1,
      parking: null,
      land: null,
      building: null,
    });
    // A studio states no bedrooms: none is made up.
    expect(summaryFeatures(["Share listing", "Studio  with   1 bathroom 1 car space"])).toMatchObject({
      type: "Studio",
      bedrooms: null,
      bathrooms: 1,
      parking: 1,
    });
    expect(summaryFeatures(["Acreage with 2.5ha land size with 4 bedrooms 2 bathrooms 6 car spaces"])).toMatchObject({
      type: "Acreage",
      land: 25000,
      parking: 6,
    });
    expect(summaryFeatures(["House with 180m² building size with 3 bedrooms"])).toMatchObject({ building: 180, land: null });
    // Without a summary, the first single-feature labels; sentences that merely mention a feature are not read.
    expect(
      summaryFeatures(["This is a scheduled inspection of the 6 bedroom house", "3 bedrooms", "2 bathrooms", "1 car space"]),
    ).toMatchObject({ type: null, bedrooms: 3, bathrooms: 2, parking: 1 });
    expect(summaryFeatures(["Share listing", "Save property"])).toEqual({
      type: null,
      bedrooms: null,
      bathrooms: null,
      parking: null,
      land: null,
      building: null,
    });
  });

  it("takes the price right after the summary's '• <type>', never a later amount on the page", () => {
    expect(
      priceFromText("6\n3\n2\n•\nHouse\n$820,000 - $902,000\nPrice guide details\nMonthly repayments\n$3,431", "House"),
    ).toBe("$820,000 - $902,000");
    expect(priceFromText("312609m²•House$745,000 - $765,000Price guide details24Images", "House")).toBe("$745,000 - $765,000");
    expect(priceFromText("2\n1\n•\nApartment\n$650 per week\nApply", "Apartment")).toBe("$650 per week");
    expect(priceFromText("4\n2\n•\nHouse\nContact agent\nMonthly repayments\n$3,431", "House")).toBe("Contact agent");
    expect(priceFromText("Monthly repayments $3,431", "House")).toBeNull();
  });

  it("reads an indicative range beside a word price, and an under-offer badge, from the summary block only", () => {
    const text = "4\n2\n•\nHouse\nContact agent\nIndicative price: $900,000 - $950,000\nPrice guide details\nUnder offer\n";
    expect(indicativeFromText(text, "House")).toBe("$900,000 - $950,000");
    expect(indicativeFromText("•\nHouse\n$900,000\nMonthly repayments $4,000", "House")).toBeNull();
    const signals = signalsOf(pointCook);
    const item = reaListingFromSignals({ ...signals, bodyText: text });
    expect(item).toMatchObject({
      status: "pending",
      price: 900000,
      price_qualifier: "contact_agent",
      attributes: { display_price: "Contact agent", indicative_price: "$900,000 - $950,000", price_max: 950000 },
    });
    // The same words far below the summary (another listing's card, the description) change nothing.
    const later = `•\nHouse\n$820,000 - $902,000\nPrice guide details\n${"x".repeat(300)}\nUnder offer\nIndicative price: $1`;
    expect(reaListingFromSignals({ ...signals, bodyText: later })).toMatchObject({ status: "active", price: 820000 });
  });

  it("an auction's date comes from its schema.org SaleEvent", () => {
    const signals = signalsOf(pointCook);
    const auction = { "@type": "SaleEvent", name: "Auction: 46 Astoria Drive", startDate: "2026-09-19T15:30:00+10:00" };
    expect(reaListingFromSignals({ ...signals, jsonLd: [...signals.jsonLd, auction] })?.attributes).toMatchObject({
      auction_at: "2026-09-19T15:30:00+10:00",
    });
    expect(reaListingFromSignals(signals)?.attributes?.auction_at).toBeUndefined();
  });

  it("a rent listing's weekly price is stored per month, the quote kept", () => {
    const signals = signalsOf(pointCook);
    const rent: ReaListingSignals = {
      ...signals,
      jsonLd: signals.jsonLd.map((n) =>
        n["@type"] === "BreadcrumbList"
          ? {
              ...n,
              itemListElement: [
                { "@type": "ListItem", position: 1, name: "Rent", item: "https://www.realestate.com.au/rent/" },
                ...(n.itemListElement as unknown[]).slice(1),
              ],
            }
          : n,
      ),
      bodyText: "2\n1\n•\nHouse\n$650 per week\n",
    };
    expect(reaListingFromSignals(rent)).toMatchObject({
      listing_type: "rent",
      status: "active",
      price: 2817,
      attributes: { source_price: { amount: 650, period: "week" } },
    });
  });
});
