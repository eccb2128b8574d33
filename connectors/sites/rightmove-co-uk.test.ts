import { describe, expect, it } from "vitest";
import { runConnector } from "../core/run";
import { describeWithFixtures, fixtureContext, fixtures } from "../test-support";
import {
  rightmove,
  rightmoveCardToItem,
  rightmovePageModelToItem,
  rightmoveSearchModel,
  splitUkAddress,
} from "./rightmove-co-uk";

// Values read by hand from the saved pages (../shared/fixtures/uk).
describeWithFixtures("rightmove.co.uk connector on the saved pages", () => {
  it("reads the London rent search (jsonModel): 25 cards, checked field by field", async () => {
    const ctx = fixtureContext("/rightmove");
    const page = await rightmove.searchPage(ctx, "property-to-rent/London-87490", 1);
    expect(page.listings).toHaveLength(25);
    expect(page.hasMore).toBe(true);
    const byId = new Map(page.listings.map((l) => [l.item?.source_listing_id, l.item]));

    const spence = byId.get("145306313");
    expect(spence).toMatchObject({
      source: "rightmove.co.uk",
      property_type: "apartment",
      listing_type: "rent",
      status: "active",
      price: 1250,
      currency: "GBP",
      bedrooms: 1,
      bathrooms: 1,
      address: { street: "Spence Court", city: "London", country: "GB" },
      location: { lat: 51.38617, lng: -0.07151 },
      listed_at: "2024-03-01T11:48:52Z", // firstVisibleDate
    });
    expect(spence?.source_url).toMatch(/\/properties\/145306313$/);
    expect(spence?.images?.[0]).toBe(
      "https://media.rightmove.co.uk:443/dir/crop/10:9-16:9/6k/5427/145306313/5427_102893011976_IMG_00_0000_max_476x317.jpeg",
    );

    expect(byId.get("145826930")).toMatchObject({
      property_type: "apartment",
      price: 1900,
      bedrooms: 2,
      bathrooms: 1,
      address: { street: "Old Ford Road", city: "London", postal_code: "E3" },
      location: { lat: 51.53398, lng: -0.038932 },
    });
    expect(byId.get("145826918")).toMatchObject({
      price: 2300,
      bedrooms: 2,
      address: { street: "Bravington Road", city: "London", postal_code: "W9" },
      location: { lat: 51.53254, lng: -0.206049 },
    });
  });

  it("handles the 1-result search page (Archway): weekly rent normalised to per month", async () => {
    const page = await rightmove.searchPage(fixtureContext("/rightmove"), "property-to-rent/Archway", 1);
    expect(page.listings).toHaveLength(1);
    expect(page.hasMore).toBe(false);
    const item = page.listings[0]?.item;
    expect(item).toMatchObject({
      source_listing_id: "144595010",
      property_type: "other", // "House Share": a room, not a house
      listing_type: "rent",
      price: 1127, // £260 pw = £1,127 pcm, as the page itself shows
      bedrooms: 0,
      address: { street: "Sussex Close", city: "Finsbury Park", postal_code: "N19" },
      location: { lat: 51.56417, lng: -0.123025 },
      attributes: { price_frequency: "weekly", display_price: "£1,127 pcm", source_price: { amount: 260, period: "week" } },
    });
    expect(item?.bathrooms).toBeUndefined();
  });

  it("reads a listing page (PAGE_MODEL) with full postcode, size and features", async () => {
    const ctx = fixtureContext("/rightmove");
    const item = await rightmove.scrape(ctx, `${ctx.baseUrl}/properties/145459589`);
    expect(item).toMatchObject({
      source: "rightmove.co.uk",
      source_listing_id: "145459589",
      property_type: "apartment",
      listing_type: "rent",
      status: "active",
      price: 3370,
      currency: "GBP",
      bedrooms: 2,
      bathrooms: 2,
      area_living_sqm: 53,
      address: { street: "Sycamore Street", city: "London", postal_code: "EC1Y 0SR", country: "GB" },
      location: { lat: 51.523426, lng: -0.097645 },
      features: ["Dishwasher", "Washing machine in unit"],
      attributes: { tenure: "LEASEHOLD", furnish_type: "Furnished" },
    });
    expect(item.images?.[0]).toBe("https://media.rightmove.co.uk/79k/78429/145459589/78429_LON-489_IMG_08_0000.jpeg");
    expect(item.description).toMatch(/^We offer custom pricing for any duration/);
  });

  it("a whole dry run yields items valid against the ingest schema", async () => {
    const { items, stats } = await runConnector(rightmove, fixtureContext("/rightmove"), {
      location: "property-to-rent/London-87490",
      pages: 1,
      max: 10,
      dryRun: true,
    });
    expect(items).toHaveLength(10);
    expect(stats).toMatchObject({ pagesFetched: 1, listingsFound: 10, submitted: 0, errors: {} });
  });
});

/**
 * Rightmove's search pages since 2025 are Next.js: the cards sit in `__NEXT_DATA__`
 * `props.pageProps.searchResults.properties`, in the same card shape as `window.jsonModel.properties`
 * (public scrapers of the 2025 pages read the same fields). Here the real 2024 cards are put in the
 * 2025 envelope: what is tested is that the connector finds them there exactly as in jsonModel (the
 * issue: 0 of 25, "no window.jsonModel"). A real 2025 page is tested field by field in
 * rightmove-co-uk.search2025.test.ts (fixtures/rightmove-co-uk).
 */
describeWithFixtures("rightmove.co.uk 2025 search pages (__NEXT_DATA__)", () => {
  it("reads the cards from __NEXT_DATA__ exactly as from jsonModel", async () => {
    const old = await (await fetch(`${fixtures.urls.main}/raw/fixtures/uk/rightmove__rent_search_london__2024.html`)).text();
    const model = rightmoveSearchModel(old);
    expect(model?.properties).toHaveLength(25);
    const state = {
      props: { pageProps: { searchResults: { ...model, pagination: { total: 42, next: 24, options: [] } } } },
      page: "/property-to-rent/find",
    };
    const next = `<!DOCTYPE html><html><head><script src="/_next/static/chunks/main.js" defer></script></head><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">${JSON.stringify(state)}</script></body></html>`;
    const parsed = rightmoveSearchModel(next);
    expect(parsed?.properties?.map((c) => rightmoveCardToItem(c))).toEqual(model?.properties?.map((c) => rightmoveCardToItem(c)));
  });

  it("a search page without either marker is a layout change naming both markers", async () => {
    const ctx = {
      fetcher: {
        requests: 0,
        get: async (url: string) => ({
          url,
          status: 200,
          contentType: "text/html",
          text: "<html><body><div id=app></div></body></html>",
        }),
        getJson: async () => ({}) as never,
      },
      baseUrl: "https://www.rightmove.co.uk",
    };
    await expect(rightmove.searchPage(ctx, "property-to-rent/London-87490", 1)).rejects.toMatchObject({
      kind: "layout_changed",
      message: expect.stringMatching(
        /layout_changed: no __NEXT_DATA__ props\.pageProps\.searchResults\.properties \(2025\) or window\.jsonModel\.properties, or searchResults\.geoJsonProperties\.features \(map view\)/,
      ),
    });
  });
});

// Display addresses as agents wrote them on a 2025 search page (the hold-out in connectors/holdout/RESULTS.md).
describe("UK display addresses", () => {
  it("takes the postcode from the end of an address written without commas", () => {
    expect(splitUkAddress("St. Helens Gardens London W10")).toMatchObject({
      street: "St. Helens Gardens",
      city: "London",
      postal_code: "W10",
    });
    expect(splitUkAddress("Portobello Road, Notting Hill W10 6RQ")).toMatchObject({
      street: "Portobello Road",
      postal_code: "W10 6RQ",
    });
    expect(splitUkAddress("Unit 10 Latimer Road, Notting Hill, London, W10 6RQ")).toMatchObject({
      street: "Unit 10 Latimer Road",
      city: "London",
      postal_code: "W10 6RQ",
    });
    // Two words and no postcode: nothing is taken for one.
    expect(splitUkAddress("Cambridge Gardens")).toMatchObject({ street: "Cambridge Gardens", postal_code: null });
    expect(splitUkAddress("10 Downing Street London")).toMatchObject({
      street: "10 Downing Street",
      city: "London",
      postal_code: null,
    });
    // Batch 4 and 5 pages: the town glued to the street; a street's end is not a town.
    expect(splitUkAddress("Richmond Road London SW20")).toMatchObject({
      street: "Richmond Road",
      city: "London",
      postal_code: "SW20",
    });
    expect(splitUkAddress("Date Street London SE17")).toMatchObject({
      street: "Date Street",
      city: "London",
      postal_code: "SE17",
    });
    expect(splitUkAddress("High Street North")).toMatchObject({ street: "High Street North", city: null });
    expect(splitUkAddress("Lugard Road SE15")).toMatchObject({ street: "Lugard Road", city: null, postal_code: "SE15" });
  });
});

// Display addresses of the batch-4 hold-out (connectors/holdout/RESULTS.md): Kettering and Lincolnshire
// search pages, as the cards write them.
describe("UK display addresses, as agents write them", () => {
  it("takes a postcode district written before the street", () => {
    expect(splitUkAddress("NN15 Silverstone Road, Burton Latimer")).toMatchObject({
      street: "Silverstone Road",
      city: "Burton Latimer",
      postal_code: "NN15",
    });
    // A house number is not a postcode, nor is a street of one word after a district.
    expect(splitUkAddress("10 Downing Street, London")).toMatchObject({ street: "10 Downing Street", postal_code: null });
  });

  it("takes a postcode after the town without a comma, the town being one word", () => {
    expect(splitUkAddress("Church Way, Thorpe Malsor, Kettering NN14")).toMatchObject({
      street: "Church Way",
      locality: "Thorpe Malsor",
      city: "Kettering",
      postal_code: "NN14",
    });
    expect(splitUkAddress("1 Greetwell Gate, Lincoln LN2 4AW")).toMatchObject({
      street: "1 Greetwell Gate",
      city: "Lincoln",
      postal_code: "LN2 4AW",
    });
  });

  it("a county after the town is the county, not the town", () => {
    expect(splitUkAddress("Blandford Avenue, Kettering, Northamptonshire, NN16")).toMatchObject({
      street: "Blandford Avenue",
      city: "Kettering",
      county: "Northamptonshire",
      postal_code: "NN16",
    });
    expect(splitUkAddress("The Narrow Boats, Scawby Brook, Brigg, North Lincolnshire, DN20")).toMatchObject({
      city: "Brigg",
      county: "North Lincolnshire",
    });
    expect(splitUkAddress("London Road, Long Sutton, Spalding, Lincolnshire")).toMatchObject({
      street: "London Road",
      locality: "Long Sutton",
      city: "Spalding",
      county: "Lincolnshire",
    });
    // A town that shares its name with a county is the town; two parts never lose their town.
    expect(splitUkAddress("Claypath, Gilesgate, Durham, DH1")).toMatchObject({ city: "Durham", county: null });
    expect(splitUkAddress("Oxford Road, Chorlton, Manchester, M21")).toMatchObject({ city: "Manchester", county: null });
    expect(splitUkAddress("High Street, Kent")).toMatchObject({ street: "High Street", city: "Kent" });
  });

  it("a building named before its street is the building, and a street is never the town", () => {
    // From the London map view of the same batch.
    expect(splitUkAddress("Cadnam Lodge, Schooner Close, London E14")).toMatchObject({
      building: "Cadnam Lodge",
      street: "Schooner Close",
      city: "London",
      postal_code: "E14",
    });
    expect(splitUkAddress("Building 22, Cadogan Road, Royal Arsenal SE18")).toMatchObject({
      building: "Building 22",
      street: "Cadogan Road",
      city: "Royal Arsenal",
    });
    expect(splitUkAddress("School House Yard, Bloomfield Road, SE18 7JD")).toMatchObject({
      building: "School House Yard",
      street: "Bloomfield Road",
      city: null,
      postal_code: "SE18 7JD",
    });
    expect(splitUkAddress("Boyton Road, Wat Tyler House Boyton Road, N8")).toMatchObject({ street: "Boyton Road", city: null });
    // A house name before a street that is a place, or a building with no street after it: as written.
    expect(splitUkAddress("Jantzen House, Brentford")).toMatchObject({
      building: null,
      street: "Jantzen House",
      city: "Brentford",
    });
    expect(splitUkAddress("Rookery Court, Leyton, London, E10")).toMatchObject({ street: "Rookery Court", locality: "Leyton" });
    // "Broadway" is a town's name, not a "way".
    expect(splitUkAddress("High Street, Broadway, WR12")).toMatchObject({ street: "High Street", city: "Broadway" });
  });

  it("a house's name without a building's word before the street is the building too", () => {
    // From the Lincolnshire page of batch 4 (connectors/holdout/RESULTS.md).
    expect(splitUkAddress("The Greenshank, Horsley Road, Gainsborough")).toMatchObject({
      building: "The Greenshank",
      street: "Horsley Road",
      city: "Gainsborough",
    });
    expect(splitUkAddress("Greenacres, Church Lane, Lusby, PE23")).toMatchObject({
      building: "Greenacres",
      street: "Church Lane",
      city: "Lusby",
      postal_code: "PE23",
    });
    // A number, a flat, a street or a place before the street: not a house's name.
    expect(splitUkAddress("12, Horsley Road, Gainsborough")).toMatchObject({ building: null });
    expect(splitUkAddress("Flat 2, Horsley Road, Gainsborough")).toMatchObject({
      unit: "Flat 2",
      building: null,
      street: "Horsley Road",
    });
    expect(splitUkAddress("Horsley Road, Gainsborough")).toMatchObject({ building: null, street: "Horsley Road" });
    expect(splitUkAddress("Oxford Road, Chorlton, Manchester, M21")).toMatchObject({ building: null, street: "Oxford Road" });
  });

  it("photos given protocol-relative, as on the 2018 search pages, are web addresses", () => {
    // A card shaped as on the 2018 pages of batch 5 (timpwbaker/rightmove_scraper): its id, address and
    // price as there, the photo address made up in the same protocol-relative form.
    const item = rightmoveCardToItem({
      id: 64548943,
      transactionType: "buy",
      displayAddress: "Strathnairn Street, Bermondsey, SE1",
      price: { amount: 675000, frequency: "not specified", currencyCode: "GBP" },
      propertyImages: {
        images: [
          {
            srcUrl: "//media.rightmove.co.uk/dir/crop/10:9-16:9/27k/26081/64548943/26081_29471868_IMG_00_0000_max_476x317.jpg",
          },
          { srcUrl: "javascript:void(0)" },
        ],
      },
    });
    expect(item.images).toEqual([
      "https://media.rightmove.co.uk/dir/crop/10:9-16:9/27k/26081/64548943/26081_29471868_IMG_00_0000_max_476x317.jpg",
    ]);
    expect(item).toMatchObject({
      price: 675_000,
      address: { street: "Strathnairn Street", city: "Bermondsey", postal_code: "SE1" },
    });
  });

  it("parts on separate lines are parts", () => {
    expect(splitUkAddress("London Road\nQuarrington,\nSleaford,\nNG34 8NX")).toMatchObject({
      street: "London Road",
      locality: "Quarrington",
      city: "Sleaford",
      postal_code: "NG34 8NX",
    });
  });
});

// Listing 162343913 (East Ham, 2025-05) of the batch-4 hold-out, reduced to the fields the parser reads
// (no agent on it): the qualifier stated apart from the amount, key features with HTML entities.
describe("rightmove.co.uk listing page (PAGE_MODEL) of 2025", () => {
  const propertyData = {
    id: "162343913",
    transactionType: "BUY",
    bedrooms: 2,
    bathrooms: 2,
    propertySubType: "Flat",
    prices: { primaryPrice: "£425,000", secondaryPrice: undefined, displayPriceQualifier: "Offers Over" },
    address: { displayAddress: "Ron Leighton Way, East Ham, London, E6", countryCode: "GB", outcode: "E6", incode: "1FD" },
    location: { latitude: 51.53397, longitude: 0.05239 },
    keyFeatures: ["Stylish &amp; Spacious two bedroom apartment", "Two bathrooms"],
    status: { published: true, archived: false },
    tenure: { tenureType: "LEASEHOLD" },
    sharedOwnership: { sharedOwnershipFlag: false, ownershipPercentage: 0 },
  };

  it("reads the price qualifier the page states beside the amount", () => {
    expect(rightmovePageModelToItem(propertyData)).toMatchObject({
      source_listing_id: "162343913",
      listing_type: "sale",
      status: "active",
      price: 425_000,
      price_qualifier: "offers_over",
      bedrooms: 2,
      bathrooms: 2,
      property_type: "apartment",
      address: { street: "Ron Leighton Way", city: "London", postal_code: "E6 1FD" },
    });
  });

  it("key features are text, entities decoded", () => {
    expect(rightmovePageModelToItem(propertyData).features).toEqual([
      "Stylish & Spacious two bedroom apartment",
      "Two bathrooms",
    ]);
  });

  it("a shared-ownership listing's price is kept aside, not stored as the home's price", () => {
    const item = rightmovePageModelToItem({
      ...propertyData,
      prices: { primaryPrice: "£159,000", displayPriceQualifier: "Shared ownership" },
      sharedOwnership: { sharedOwnershipFlag: true, ownershipPercentage: 40 },
    });
    expect(item.price ?? null).toBeNull();
    expect(item.attributes).toMatchObject({ shared_ownership: true, share_price: 159_000, ownership_percentage: 40 });
  });
});
