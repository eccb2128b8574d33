/**
 * schema.org mapping: every listing on a page, each under its own URL and id, prices from offers and
 * price specifications, units converted, rooms not taken for bedrooms. The pages are written here in the
 * shapes schema.org documents (RealEstateListing, Offer.itemOffered, ItemList, @graph).
 */
import { describe, expect, it } from "vitest";
import { schemaOrgItems } from "./jsonld";

const ctx = {
  source: "example.ch",
  url: "https://example.ch/search?page=1",
  country: "CH",
  currency: "CHF",
  sourceListingId: "/search",
};
const page = (...blocks: unknown[]) =>
  `<html><head>${blocks.map((b) => `<script type="application/ld+json">${JSON.stringify(b)}</script>`).join("\n")}</head><body></body></html>`;
const home = (n: number, extra: Record<string, unknown> = {}) => ({
  "@type": "Apartment",
  address: {
    "@type": "PostalAddress",
    streetAddress: `Bahnhofstrasse ${n}`,
    addressLocality: "Zürich",
    postalCode: "8001",
    addressCountry: "CH",
  },
  ...extra,
});

describe("schema.org: every listing on a page", () => {
  it("several RealEstateListings in a @graph: each its own item, URL and id (the issue: only the first, under the page's URL)", () => {
    const items = schemaOrgItems(
      page({
        "@context": "https://schema.org",
        "@graph": [1, 2, 3].map((n) => ({
          "@type": "RealEstateListing",
          "@id": `https://example.ch/listing/${n}#listing`,
          url: `https://example.ch/listing/${n}`,
          name: `Listing ${n}`,
          mainEntity: home(n),
          offers: { "@type": "Offer", price: 1000000 + n, priceCurrency: "CHF" },
        })),
      }),
      ctx,
    );
    expect(items.map((i) => [i.source_url, i.source_listing_id, i.price, i.address.street])).toEqual([
      ["https://example.ch/listing/1", "/listing/1", 1000001, "Bahnhofstrasse 1"],
      ["https://example.ch/listing/2", "/listing/2", 1000002, "Bahnhofstrasse 2"],
      ["https://example.ch/listing/3", "/listing/3", 1000003, "Bahnhofstrasse 3"],
    ]);
  });

  it("top-level arrays and several script blocks", () => {
    const items = schemaOrgItems(
      page(
        [
          {
            "@type": "RealEstateListing",
            url: "/l/a",
            mainEntity: home(1),
            offers: { "@type": "Offer", price: "CHF 1'250'000" },
          },
        ],
        { "@type": "RealEstateListing", url: "/l/b", mainEntity: home(2), offers: { "@type": "Offer", price: 990000 } },
      ),
      ctx,
    );
    expect(items.map((i) => [i.source_url, i.price])).toEqual([
      ["https://example.ch/l/a", 1250000],
      ["https://example.ch/l/b", 990000],
    ]);
  });

  it("an ItemList with ListItem.item, and with the listings nested directly", () => {
    const withItem = schemaOrgItems(
      page({
        "@type": "ItemList",
        itemListElement: [1, 2].map((n) => ({
          "@type": "ListItem",
          position: n,
          item: {
            "@type": "RealEstateListing",
            url: `https://example.ch/l/${n}`,
            mainEntity: home(n),
            offers: { "@type": "Offer", price: n * 100000 },
          },
        })),
      }),
      ctx,
    );
    expect(withItem.map((i) => i.source_url)).toEqual(["https://example.ch/l/1", "https://example.ch/l/2"]);
    const nested = schemaOrgItems(
      page({
        "@type": "ItemList",
        itemListElement: [3, 4].map((n) => ({
          "@type": "Offer",
          url: `https://example.ch/o/${n}`,
          price: n * 100000,
          itemOffered: home(n),
        })),
      }),
      ctx,
    );
    expect(nested.map((i) => [i.source_url, i.price])).toEqual([
      ["https://example.ch/o/3", 300000],
      ["https://example.ch/o/4", 400000],
    ]);
  });

  it("Offer / AggregateOffer with itemOffered (the issue: nothing), priceSpecification with minPrice/maxPrice (the issue: lost)", () => {
    const items = schemaOrgItems(
      page(
        {
          "@type": "Offer",
          url: "/o/1",
          priceCurrency: "CHF",
          priceSpecification: { "@type": "PriceSpecification", minPrice: 850000, maxPrice: 900000 },
          itemOffered: home(1),
        },
        {
          "@type": "AggregateOffer",
          url: "/o/2",
          lowPrice: 700000,
          highPrice: 750000,
          priceCurrency: "CHF",
          itemOffered: home(2),
        },
      ),
      ctx,
    );
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      source_url: "https://example.ch/o/1",
      price: 850000,
      price_qualifier: "range",
      attributes: { price_max: 900000 },
    });
    expect(items[1]).toMatchObject({ source_url: "https://example.ch/o/2", price: 700000, attributes: { price_max: 750000 } });
  });

  it("a rent's period from unitText / unitCode / billingIncrement: stored per month, the quote kept", () => {
    const items = schemaOrgItems(
      page(
        {
          "@type": "Offer",
          url: "/r/1",
          businessFunction: "http://purl.org/goodrelations/v1#LeaseOut",
          priceSpecification: { "@type": "UnitPriceSpecification", price: 660, priceCurrency: "AUD", unitText: "WEEK" },
          itemOffered: home(1),
        },
        {
          "@type": "Offer",
          url: "/r/2",
          priceSpecification: { "@type": "UnitPriceSpecification", price: 2500, unitCode: "MON" },
          itemOffered: home(2),
        },
        {
          "@type": "Offer",
          url: "/r/3",
          priceSpecification: { "@type": "UnitPriceSpecification", price: 36000, billingIncrement: "P1Y" },
          itemOffered: home(3),
        },
      ),
      { ...ctx, sourceListingId: undefined },
    );
    expect(items.map((i) => [i.listing_type, i.price, (i.attributes?.source_price as { period?: string })?.period])).toEqual([
      ["rent", 2860, "week"],
      ["rent", 2500, "month"],
      ["rent", 3000, "year"],
    ]);
    expect(items[0]).toMatchObject({ currency: "AUD", attributes: { source_price: { amount: 660, period: "week" } } });
  });

  it("units from unitCode / unitText → m² (the issue: 700 sq ft stored as 700 m²); numberOfRooms is not bedrooms (the issue: 3.5 → 4)", () => {
    const [item] = schemaOrgItems(
      page({
        "@type": "RealEstateListing",
        mainEntity: home(1, {
          floorSize: { "@type": "QuantitativeValue", value: 700, unitCode: "FTK" },
          lotSize: { "@type": "QuantitativeValue", value: 0.5, unitText: "acres" },
          numberOfRooms: 3.5,
        }),
        offers: { "@type": "Offer", price: 1000000 },
      }),
      ctx,
    );
    expect(item).toMatchObject({ area_living_sqm: 65, area_land_sqm: 2023.4, attributes: { rooms: 3.5 } });
    expect(item?.bedrooms).toBeUndefined();
    const [ha] = schemaOrgItems(
      page({
        ...home(2),
        "@type": "House",
        lotSize: { value: 2, unitCode: "HAR" },
        floorSize: { value: 120, unitText: "m²" },
        numberOfBedrooms: 3,
      }),
      ctx,
    );
    expect(ha).toMatchObject({ area_land_sqm: 20000, area_living_sqm: 120, bedrooms: 3 });
    // A unit we do not know is not guessed as m².
    const [odd] = schemaOrgItems(page({ ...home(3), floorSize: { value: 5, unitText: "tatami" } }), ctx);
    expect(odd?.area_living_sqm).toBeUndefined();
  });

  it('the type from accommodationCategory when it is a word we know, else from @type (a Single Family Residential category was "other")', () => {
    const typed = (residence: Record<string, unknown>) =>
      schemaOrgItems(page({ ...home(1), ...residence }), ctx)[0]?.property_type;
    // RESO's term, as US and Canadian portals give it.
    expect(typed({ "@type": "SingleFamilyResidence", accommodationCategory: "Single Family Residential" })).toBe("house");
    // A category of the site's own says nothing: the @type does.
    expect(typed({ "@type": "SingleFamilyResidence", accommodationCategory: "RS-1" })).toBe("house");
    expect(typed({ "@type": ["Place", "Apartment"], accommodationCategory: "Tower A" })).toBe("apartment");
    // A category we know wins over the @type, "other" included (a parking space published as an Apartment).
    expect(typed({ "@type": "House", accommodationCategory: "Townhouse" })).toBe("townhouse");
    expect(typed({ "@type": "Apartment", accommodationCategory: "Parking space" })).toBe("other");
    expect(typed({ "@type": "Accommodation" })).toBe("other");
  });

  it("shapes met in the hold-out: a price on the home itself, a listing whose mainEntity is a WebPage about the home, a country by name", () => {
    // The price beside the home's facts, with no Offer (a portal's mainEntity {"@type": ["House", "BuyAction"], price, priceCurrency}).
    const [own] = schemaOrgItems(
      page({
        "@type": "RealEstateListing",
        url: "https://example.ae/property/1.html",
        mainEntity: { ...home(1), "@type": ["House", "BuyAction"], price: 2520000, priceCurrency: "AED", numberOfBedrooms: 4 },
      }),
      ctx,
    );
    expect(own).toMatchObject({ price: 2520000, currency: "AED", bedrooms: 4, listing_type: "sale" });
    // RealEstateListing → WebPage → the listing with its home facts and offers (followed, not taken as the home).
    const [nested] = schemaOrgItems(
      page({
        "@type": ["webpage", "RealEstateListing", "product"],
        mainEntity: {
          "@type": "WebPage",
          mainEntity: {
            ...home(2),
            "@type": ["RealEstateListing", "House"],
            offers: [
              {
                "@type": "Offer",
                priceSpecification: { "@type": "UnitPriceSpecification", price: 12000000, priceCurrency: "AED" },
              },
            ],
          },
        },
      }),
      ctx,
    );
    expect(nested).toMatchObject({
      price: 12000000,
      currency: "AED",
      property_type: "house",
      address: { street: "Bahnhofstrasse 2" },
    });
    // addressCountry as an English name is that country, not its first two letters ("South Africa" was SO).
    const za = (country: unknown) =>
      schemaOrgItems(page({ ...home(3), address: { addressLocality: "Prestbury", addressCountry: country } }), ctx)[0]?.address
        ?.country;
    expect(za("South Africa")).toBe("ZA");
    expect(za({ "@type": "Country", name: "AE" })).toBe("AE");
    expect(za("Narnia")).toBe("CH"); // no country by that name: the site's
  });

  it("one listing spread over separate nodes (a listing without its home, the home, a Product's offer) is assembled; a RentAction says rent", () => {
    const spread = [
      {
        "@context": "https://schema.org",
        "@type": "ViewAction",
        target: { "@type": "EntryPoint", urlTemplate: "https://example.com/x" },
      },
      { ...home(1), "@type": "SingleFamilyResidence", geo: { latitude: 37.79, longitude: -122.43 } },
      { "@type": "Product", name: "Bahnhofstrasse 1", offers: { "@type": "Offer", priceCurrency: "USD", price: 1495000 } },
      { "@type": "RealEstateListing", datePosted: "2026-01-31T19:24:46Z" },
    ];
    const [assembled] = schemaOrgItems(page(spread), ctx);
    expect(assembled).toMatchObject({
      price: 1495000,
      currency: "USD",
      listing_type: "sale",
      property_type: "house",
      address: { street: "Bahnhofstrasse 1" },
      location: { lat: 37.79, lng: -122.43 },
      listed_at: "2026-01-31T19:24:46.000Z",
    });
    // Two homes, or two priced offers: which goes with which is not guessed.
    expect(schemaOrgItems(page([...spread, { ...home(2), "@type": "Apartment" }]), ctx)).toEqual([]);
    expect(schemaOrgItems(page([...spread, { "@type": "Product", offers: { "@type": "Offer", price: 1 } }]), ctx)).toEqual([]);
    // A page-level RentAction beside the one home: a let, not a sale.
    const [rent] = schemaOrgItems(
      page(
        { "@type": "RentAction", name: "3 BHK for rent", price: "Call for Price" },
        { ...home(3), "@type": "SingleFamilyResidence" },
      ),
      ctx,
    );
    expect(rent).toMatchObject({ listing_type: "rent" });
    expect(rent?.price).toBeUndefined();
  });

  it("a page with one listing keeps the page's URL and the context's id; a residence already described by an offer is not a second listing", () => {
    const single = schemaOrgItems(
      page({ "@type": "Offer", price: 500000, itemOffered: home(1) }, { "@type": "BreadcrumbList", itemListElement: [] }),
      ctx,
    );
    expect(single.map((i) => [i.source_url, i.source_listing_id])).toEqual([[ctx.url, "/search"]]);
  });
});
