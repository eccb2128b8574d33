import { expect, it } from "vitest";
import { parseSavedPage } from "../core/saved-pages";
import { describeWithFixtures, fixtureContext } from "../test-support";
import { domainComAu, domainListingToItem } from "./domain-com-au";

// Values read by hand from the saved pages (../shared/fixtures/au).
describeWithFixtures("domain.com.au connector on the saved pages", () => {
  it("reads the Burleigh Heads sold search from __NEXT_DATA__ (20 listings, page 1 of 50)", async () => {
    const page = await domainComAu.searchPage(fixtureContext("/domain"), "sold-listings/burleigh-heads-qld-4220", 1);
    expect(page.listings).toHaveLength(20);
    expect(page.hasMore).toBe(true);
    const byId = new Map(page.listings.map((l) => [l.item?.source_listing_id, l.item]));
    const sirec = byId.get("2020525007");
    expect(sirec).toMatchObject({
      source: "domain.com.au",
      property_type: "house",
      listing_type: "sale",
      status: "sold",
      price: 1400000,
      sold_price: 1400000,
      sold_at: "2026-01-13T00:00:00.000Z", // "Sold by private treaty 13 Jan 2026"
      bedrooms: 4,
      bathrooms: 2,
      parking_spaces: 2,
      area_land_sqm: 617,
      address: { street: "21 Sirec Way", city: "Burleigh Heads", state: "QLD", postal_code: "4220", country: "AU" },
      location: { lat: -28.119396, lng: 153.42 },
    });
    expect(sirec?.source_url).toMatch(/\/21-sirec-way-burleigh-heads-qld-4220-2020525007$/);
    expect(sirec?.images?.[0]).toBe(
      "https://rimh2.domainstatic.com.au/Xo2H0FKUaGDn9pbZYn-D3-Plpjg=/660x440/filters:format(jpeg):quality(80)/2020525007_1_1_260113_053542-w1200-h800",
    );
    expect(byId.get("2020325357")).toMatchObject({
      property_type: "apartment",
      price: 1235000,
      sold_at: "2026-01-12T00:00:00.000Z",
      bedrooms: 2,
      bathrooms: 1,
      parking_spaces: 1,
      address: { unit: "6", street: "82 The Esplanade", city: "Burleigh Heads" },
      location: { lat: -28.084415, lng: 153.44972 },
    });
    expect(byId.get("2020325357")?.area_land_sqm).toBeUndefined(); // landSize 0 = unknown
  });

  it("reads a property profile with several sales and rentals as history events", async () => {
    const ctx = fixtureContext("/domain");
    const item = await domainComAu.scrape(ctx, `${ctx.baseUrl}/property-profile/3-bilpin-street-greystanes-nsw-2145`);
    expect(item).toMatchObject({
      source: "domain.com.au",
      source_listing_id: "profile:XP-8672-TO",
      property_type: "house",
      status: "off_market",
      sold_price: 470000,
      sold_at: "2013-05-20T00:00:00.000Z",
      bedrooms: 3,
      bathrooms: 1,
      parking_spaces: 1,
      area_land_sqm: 549,
      address: { street: "3 Bilpin Street", city: "Greystanes", state: "NSW", postal_code: "2145", country: "AU" },
      location: { lat: -33.82792, lng: 150.93077 },
      features: ["Lock Up Garage", "Air Conditioning"],
    });
    expect(item.images?.[0]).toBe("https://bucket-api.domain.com.au/v1/bucket/image/w768-h512-2010338552_1_pi_150315_051723");
    const history = (item.attributes?.history ?? []) as Array<{ type: string; date: string; price: number }>;
    expect(history.map((e) => [e.type, e.date.slice(0, 10), e.price])).toEqual([
      ["sold", "1996-01-23", 184000],
      ["sold", "2003-04-23", 380000],
      ["rented", "2004-01-12", 290],
      ["rented", "2007-10-04", 340],
      ["rented", "2010-06-24", 415],
      ["sold", "2013-05-20", 470000],
    ]);
  });

  it("reads the single-sale profile (7 Bilpin St) and finds it by address", async () => {
    const ctx = fixtureContext("/domain");
    const [item] = await domainComAu.searchByAddress!(ctx, "7 Bilpin Street, Greystanes NSW 2145");
    expect(item).toMatchObject({
      source_listing_id: "profile:TU-2475-NX",
      sold_price: 852000,
      sold_at: "2016-07-04T00:00:00.000Z",
      bedrooms: 4,
      bathrooms: 3,
      parking_spaces: 4,
      area_land_sqm: 588,
      address: { street: "7 Bilpin Street", city: "Greystanes", postal_code: "2145" },
      location: { lat: -33.82791, lng: 150.93041 },
    });
    expect(item?.attributes?.history as unknown[]).toHaveLength(2);
    expect(await domainComAu.searchByAddress!(ctx, "1 Nowhere Street, Greystanes NSW 2145")).toEqual([]);
  });
});

it("a Domain rent card's '$660 per week' is stored as 2,860 a month, the weekly quote kept (the issue: 660)", () => {
  const item = domainListingToItem(
    "2019999999",
    {
      url: "https://www.domain.com.au/12-example-street-burleigh-heads-qld-4220-2019999999",
      price: "$660 per week",
      address: {
        street: "12 Example Street",
        suburb: "BURLEIGH HEADS",
        state: "QLD",
        postcode: "4220",
        lat: -28.09,
        lng: 153.45,
      },
      features: { beds: 2, baths: 1, propertyType: "ApartmentUnitFlat" },
    },
    "rent",
  );
  expect(item).toMatchObject({
    listing_type: "rent",
    price: 2860,
    attributes: { display_price: "$660 per week", source_price: { amount: 660, period: "week", text: "$660 per week" } },
  });
  // The rent channel's bare "$660" is weekly too (Australian rents are quoted per week).
  expect(domainListingToItem("1", { price: "$660", address: { street: "1 A St", suburb: "X" } }, "rent").price).toBe(2860);
  // "Auction Saturday 3:00pm" on a sale card: no price, an auction.
  const auction = domainListingToItem(
    "2",
    { price: "AUCTION THIS SATURDAY @3:00PM", address: { street: "2 A St", suburb: "X" } },
    "sale",
  );
  expect(auction.price).toBeUndefined();
  expect(auction.price_qualifier).toBe("auction");
});

/**
 * Shapes of real pages met in the hold-out (connectors/holdout/RESULTS.md), written here reduced and with
 * made-up listings: a Domain listing page carries a `listingsMap` too (with the listing itself), and a
 * search page says its own channel in `mode`.
 */
const nextDataPage = (componentProps: Record<string, unknown>, canonical: string) =>
  new TextEncoder().encode(
    `<html><head><link rel="canonical" href="${canonical}"></head><body><script id="__NEXT_DATA__" type="application/json">${JSON.stringify(
      { props: { pageProps: { componentProps } } },
    )}</script></body></html>`,
  );
const card = (id: number, price: string, tagText?: string) => ({
  id,
  listingType: "listing",
  listingModel: {
    url: `/${id}-example-street-blacktown-nsw-2148-${id}`,
    price,
    address: {
      street: `${id % 100} Example Street`,
      suburb: "Blacktown",
      state: "NSW",
      postcode: "2148",
      lat: -33.77,
      lng: 150.9,
    },
    features: { beds: 3, baths: 1, parking: 1, propertyType: "House" },
    ...(tagText ? { tags: { tagText, tagClassName: "is-sold" } } : {}),
  },
});

it("a saved search page's channel is its own `mode`: a buy search read in saved-page mode is not taken for sold listings", async () => {
  const page = nextDataPage(
    { mode: "buy", currentPage: 1, totalPages: 3, listingSearchResultIds: [11], listingsMap: { "11": card(11, "$1,050,000") } },
    "https://www.domain.com.au/sale/blacktown-nsw-2148/",
  );
  const { report, items } = await parseSavedPage(domainComAu, "sale.html", page);
  expect(report).toMatchObject({ kind: "search", listings: 1, valid: 1 });
  expect(items[0]).toMatchObject({ listing_type: "sale", status: "active", price: 1050000 });
  expect(items[0]?.sold_price).toBeUndefined();

  const sold = nextDataPage(
    { mode: "sold", listingsMap: { "12": card(12, "$900,000", "Sold at auction 25 Jul 2026") } },
    "https://www.domain.com.au/sold-listings/blacktown-nsw-2148/",
  );
  expect((await parseSavedPage(domainComAu, "sold.html", sold)).items[0]).toMatchObject({
    status: "sold",
    sold_price: 900000,
    sold_at: "2026-07-25T00:00:00.000Z",
  });
});

it("a listing page with a listingsMap is read as the listing (its mode 'buy' wins over listingSummary.listingType 'rent'), not as a one-card search", async () => {
  const listing = {
    listingId: 2020000001,
    id: 2020000001,
    listingUrl: "https://www.domain.com.au/1-example-road-hoppers-crossing-vic-3029-2020000001",
    listingsMap: { "2020000001": card(2020000001, "$470,000 - $500,000") },
    address: "1 Example Road, Hoppers Crossing VIC 3029",
    streetNumber: "1",
    street: "Example Road",
    suburb: "Hoppers Crossing",
    postcode: "3029",
    stateAbbreviation: "vic",
    listingSummary: {
      address: "1 Example Road, Hoppers Crossing VIC 3029",
      baths: 1,
      beds: 3,
      parking: 1,
      listingType: "rent",
      mode: "buy",
      method: "privateTreaty",
      propertyType: "House",
      status: "new",
      title: "$470,000 - $500,000",
      stats: [{ key: "landArea", value: 315.15 }],
    },
  };
  const page = nextDataPage(listing, listing.listingUrl);
  await expect(
    domainComAu.searchPage(
      {
        fetcher: {
          requests: 0,
          get: async (url) => ({ url, status: 200, contentType: "text/html", text: new TextDecoder().decode(page) }),
          getJson: async () => ({}) as never,
        },
        baseUrl: "https://www.domain.com.au",
      },
      "sold-listings/x",
      1,
    ),
  ).rejects.toThrow(/listing page/);
  const { report, items } = await parseSavedPage(domainComAu, "listing.html", page);
  expect(report).toMatchObject({ kind: "listing", listings: 1, valid: 1 });
  expect(items[0]).toMatchObject({
    source_listing_id: "2020000001",
    listing_type: "sale",
    status: "active",
    price: 470000,
    price_qualifier: "range",
    attributes: { price_max: 500000 },
  });
  expect(items[0]?.sold_price).toBeUndefined();
});
