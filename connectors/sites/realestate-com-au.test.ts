import { expect, it } from "vitest";
import { describeWithFixtures, fixtureContext } from "../test-support";
import { realestateComAu } from "./realestate-com-au";

// Values read by hand from the saved pages (../shared/fixtures/au).
/** The sold house in Ormeau (listing 149956932), read and scraped from the same search page. */
const ORMEAU = {
  property_type: "house",
  status: "sold",
  price: 1220200,
  sold_at: "2026-01-16T00:00:00.000Z",
  bedrooms: 4,
  bathrooms: 2,
  parking_spaces: 2,
  area_living_sqm: 236,
  area_land_sqm: 699,
  address: { street: "13 Penneshaw Crescent", city: "Ormeau", state: "QLD", postal_code: "4208" },
};

describeWithFixtures("realestate.com.au connector on the saved pages", () => {
  it("reads the 2026 sold search through the double-stringified ArgonautExchange urql cache", async () => {
    const page = await realestateComAu.searchPage(fixtureContext("/rea"), "sold/in-australia", 1);
    expect(page.listings).toHaveLength(25);
    const byId = new Map(page.listings.map((l) => [l.item?.source_listing_id, l.item]));

    const stLeonards = byId.get("148888960");
    expect(stLeonards).toMatchObject({
      source: "realestate.com.au",
      source_url: "https://www.realestate.com.au/sold/property-apartment-nsw-st+leonards-148888960",
      property_type: "apartment",
      listing_type: "sale",
      status: "sold",
      sold_at: "2026-01-16T00:00:00.000Z",
      currency: "AUD",
      bedrooms: 3,
      bathrooms: 2,
      parking_spaces: 2,
      area_living_sqm: 128,
      area_land_sqm: 156,
      address: {
        unit: "1003",
        street: "472 Pacific Highway",
        city: "St Leonards",
        state: "NSW",
        postal_code: "2065",
        country: "AU",
      },
      attributes: { display_price: "Contact agent" },
    });
    expect(stLeonards?.price).toBeUndefined(); // "Contact agent": no price
    expect(stLeonards?.location).toBeUndefined(); // the search state carries no coordinates
    expect(stLeonards?.images?.[0]).toBe(
      "https://i2.au.reastatic.net/800x600/861c90680baa4b128be4a92fc46ca36f7b1008d82dd83e53080f6fd744cb43a8/image.jpg",
    );

    expect(byId.get("149956932")).toMatchObject({ ...ORMEAU, sold_price: 1220200 });
    expect(byId.get("149100212")).toMatchObject({
      price: 990000,
      bedrooms: 5,
      bathrooms: 3,
      area_land_sqm: 480,
      address: { street: "17 Paterson Drive", city: "San Remo", state: "VIC", postal_code: "3925" },
    });
    expect(byId.get("149100212")?.area_living_sqm).toBeUndefined();
  });

  // scrape() on a search-results URL naming a listing reads it from the urql cache; the 2026 listing
  // pages (empty ArgonautExchange) are covered by realestate-com-au-listing.test.ts.
  it("scrape() reads the listing a search-results URL names from its ArgonautExchange state", async () => {
    const ctx = fixtureContext("/rea");
    const page = `${ctx.baseUrl}/sold/in-australia/list-1`;
    const ormeau = await realestateComAu.scrape(ctx, `${page}#149956932`);
    expect(ormeau).toMatchObject({
      ...ORMEAU,
      source: "realestate.com.au",
      source_listing_id: "149956932",
      listing_type: "sale",
      address: { ...ORMEAU.address, country: "AU" },
    });
    const search = await realestateComAu.searchPage(ctx, "sold/in-australia", 1);
    expect(ormeau).toEqual(search.listings.find((l) => l.item?.source_listing_id === "149956932")?.item);
    // A page without the state is a layout change naming the URL and the marker looked for, not a crash.
    await expect(realestateComAu.scrape(ctx, `${ctx.baseUrl}/buy/in-nsw/list-1`)).rejects.toMatchObject({
      kind: "layout_changed",
      message: "layout_changed: no window.ArgonautExchange listing or listing JSON-LD with a feature summary on the page",
    });
  });

  it("reads the 2017 plain-HTML buy search (20 result cards, showcase ads ignored)", async () => {
    const page = await realestateComAu.searchPage(fixtureContext("/rea"), "buy/in-nsw", 1);
    expect(page.errors).toEqual([]);
    expect(page.listings).toHaveLength(20);
    const byId = new Map(page.listings.map((l) => [l.item?.source_listing_id, l.item]));
    expect(byId.get("125136386")).toMatchObject({
      source_url: expect.stringMatching(/\/property-house-nsw-seven\+hills-125136386$/),
      property_type: "house",
      listing_type: "sale",
      status: "active",
      price: 700000, // "Price guide $700,000 - $760,000": the range stays in attributes
      bedrooms: 3,
      bathrooms: 1,
      parking_spaces: 1,
      address: { street: "82 Orana Avenue", city: "Seven Hills", state: "NSW", postal_code: "2147", country: "AU" },
      attributes: { display_price: "Price guide $700,000 - $760,000", sale_method: "Auction Sat 22 Apr" },
    });
    expect(byId.get("125136386")?.images?.[0]).toBe(
      "https://i2.au.reastatic.net/640x480/4960a40e2d6596f45311eb640fe32ebd242b866c146f84c612b0c3810eb2494d/main.jpg",
    );
    expect(byId.get("125136386")?.images).toHaveLength(6); // 7 frames, the floorplan excluded
    expect(byId.get("125022586")).toMatchObject({
      property_type: "apartment", // a studio
      bathrooms: 1,
      address: { unit: "179", street: "450 Pacific Highway", city: "Artarmon", postal_code: "2064" },
    });
    expect(byId.get("125022586")?.price).toBeUndefined();
    expect(byId.get("125022586")?.bedrooms).toBeUndefined();
    expect(byId.get("125136006")).toMatchObject({
      property_type: "apartment", // "unit"
      price: 499000,
      address: { city: "Campbelltown", country: "AU" },
    });
    expect(byId.get("125136006")?.address.street).toBeUndefined(); // "address available on request"
  });
});
