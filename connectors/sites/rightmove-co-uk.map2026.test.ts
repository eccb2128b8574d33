/**
 * Rightmove's search page in its map view (2026): `__NEXT_DATA__` `searchResults` without `properties`,
 * the cards as GeoJSON features (`geoJsonProperties.features[].properties`). A real capture kept reduced in
 * fixtures/rightmove-co-uk (origin and what was replaced: its README); the blind hold-out read 0 of its
 * 96 cards (connectors/holdout/RESULTS.md, batch 4). Expected values read by hand off the page's cards.
 */
import { describe, expect, it } from "vitest";
import { savedPageContext } from "../test-support";
import map from "./fixtures/rightmove-co-uk/search-2026-map-london-sale.html?raw";
import { rightmove, rightmoveCardToItem, rightmoveSearchModel } from "./rightmove-co-uk";

const savedPage = (html: string) => savedPageContext(html, "https://www.rightmove.co.uk");

async function mapPage() {
  const page = await rightmove.searchPage(savedPage(map), "property-for-sale/map", 1);
  const byId = new Map(page.listings.map((l) => [l.item?.source_listing_id, l.item]));
  return { page, byId };
}

describe("rightmove.co.uk search page, map view (London for sale, 2026)", () => {
  it("reads every feature's card, each under its own id and URL, in the page's order", async () => {
    expect(rightmoveSearchModel(map)?.properties).toHaveLength(10);
    const { page, byId } = await mapPage();
    expect(page.errors).toEqual([]);
    expect(page.listings).toHaveLength(10);
    expect(byId.size).toBe(10);
    expect(page.listings[0]?.url).toBe("https://www.rightmove.co.uk/properties/87907845");
    expect(page.listings.map((l) => l.item?.source_listing_id).at(-1)).toBe("90197349");
    // The map shows the whole result at once: no next page.
    expect(page.hasMore).toBe(false);
  });

  it("a card of the map view is a sale by its channel, with the card's price, rooms, type and place", async () => {
    const { byId } = await mapPage();
    expect(byId.get("87907845")).toMatchObject({
      source_url: "https://www.rightmove.co.uk/properties/87907845",
      listing_type: "sale",
      status: "active",
      price: 300_000,
      price_qualifier: "guide",
      currency: "GBP",
      bedrooms: 2,
      bathrooms: 1,
      property_type: "apartment",
      address: { street: "Brandram Road", city: "London", postal_code: "SE13", country: "GB" },
      location: { lat: 51.460009, lng: 0.001467 },
    });
    // "689 sq. ft." on the card.
    expect(byId.get("174272249")?.area_living_sqm).toBe(64);
    // The auction is flagged apart from its "Guide Price £90,000"; no bathrooms on the card, none stored.
    const auction = byId.get("90210273");
    expect(auction).toMatchObject({ price: 90_000, price_qualifier: "guide", attributes: { auction: true } });
    expect(auction?.bathrooms ?? null).toBeNull();
  });

  it("a shared-ownership price is the price of a share, not of the home: kept aside, not stored as price", async () => {
    const { byId } = await mapPage();
    // The same flat twice: £397,500 whole, "Shared ownership £159,000" for 40 % (the page's summary).
    expect(byId.get("90207231")).toMatchObject({ price: 397_500 });
    const share = byId.get("90207135");
    expect(share?.price ?? null).toBeNull();
    expect(share?.price_qualifier ?? null).toBeNull();
    expect(share?.attributes).toMatchObject({ shared_ownership: true, share_price: 159_000 });
  });

  it("display addresses as the agents wrote them", async () => {
    const { byId } = await mapPage();
    expect(byId.get("90215970")?.address).toMatchObject({ street: "Pitchford Street", city: "London", postal_code: "E15" });
    expect(byId.get("90212826")?.address).toMatchObject({ street: "Buckhurst Avenue", city: "Carshalton", postal_code: "SM5" });
    expect(byId.get("90212826")?.attributes).toMatchObject({ county: "Surrey" });
    expect(byId.get("90215088")?.address).toMatchObject({ street: "Child Lane", city: "London", postal_code: "SE10" });
    expect(byId.get("90215088")?.attributes).toMatchObject({ county: "Greater London", building: "Becquerel Court" });
    expect(byId.get("90197349")?.address).toMatchObject({
      unit: "Flat B",
      street: "35 Solon Road",
      city: "London",
      postal_code: "SW2 5UU",
    });
    expect(byId.get("90043200")?.address).toMatchObject({
      street: "5B Mount Pleasant Road",
      city: "London",
      postal_code: "SE13 6RD",
    });
  });

  it("a map-view card of a rent search is a rent by its channel, per month like any card", () => {
    // The page above is a sale search; a rent card of the same shape (no transactionType), made up here.
    const item = rightmoveCardToItem({
      id: 1,
      channel: "RENT",
      displayAddress: "Sycamore Street, London, EC1Y 0SR",
      price: { amount: 600, frequency: "weekly", currencyCode: "GBP" },
    });
    expect(item).toMatchObject({
      listing_type: "rent",
      price: 2600,
      attributes: { source_price: { amount: 600, period: "week" } },
    });
  });
});
