/**
 * Rightmove's listing page of 2018: no embedded page state (no `PAGE_MODEL`), the listing's data in the
 * analytics record `DataLayer.pushKV('property', {…})` beside schema.org microdata in the HTML. A real
 * capture kept reduced in fixtures/rightmove-co-uk (origin and what was replaced: its README); the blind
 * hold-out read nothing from it (connectors/holdout/RESULTS.md, batch 5). Expected values read by hand
 * off the page: its header ("4 bedroom terraced house for sale", "Hannah Mary Way, London, SE1",
 * "£765,000"), its record and its photo list.
 */
import { describe, expect, it } from "vitest";
import { readIngestItem } from "../contract/ingest/read-item";
import { parseSavedPage } from "../core/saved-pages";
import { savedPageContext } from "../test-support";
import listing2018 from "./fixtures/rightmove-co-uk/listing-2018-se1-sale.html?raw";
import { rightmove, rightmove2018Listing } from "./rightmove-co-uk";

const savedPage = (html: string) => savedPageContext(html, "https://www.rightmove.co.uk");

describe("rightmove.co.uk listing page of 2018 (DataLayer record + microdata)", () => {
  it("reads every field the page states, checked by hand", async () => {
    const item = await rightmove.scrape(
      savedPage(listing2018),
      "https://www.rightmove.co.uk/property-for-sale/property-64166101.html",
    );
    expect(item).toMatchObject({
      source: "rightmove.co.uk",
      source_listing_id: "64166101",
      source_url: "https://www.rightmove.co.uk/properties/64166101",
      listing_type: "sale", // DataLayer page channel "buying"; the heading "… for sale"
      status: "active", // soldSTC false
      price: 765_000, // "£765,000" in the header; the record's price 765000.0
      currency: "GBP",
      bedrooms: 4,
      property_type: "townhouse", // "Terraced" (the shared vocabulary: a terrace shares its walls)
      property_subtype: "Terraced",
      title: "4 bedroom terraced house for sale",
      address: { street: "Hannah Mary Way", city: "London", postal_code: "SE1 5QG", country: "GB" },
      location: { lat: 51.490318063839396, lng: -0.06711706895786675 },
      listed_at: "2018-02-21T00:00:00.000Z", // "added":"20180221"; "Added on Rightmove: 21 February 2018"
      features: [
        "FREEHOLD HOUSE.",
        "FOUR BEDROOMS.",
        "KITCHEN DINING ROOM.",
        "SEPARATE RECEPTION ROOM.",
        "PRIVATE GARDEN.",
        "OFF STREET PARKING.",
      ],
      attributes: { display_price: "£765,000", tenure: "Freehold", agent: "Example Agency 1, Example Branch" },
    });
    // No qualifier stated ("priceQualifier":"None"), no bathrooms and no size on the page's record.
    expect(item.price_qualifier ?? null).toBeNull();
    expect(item.bathrooms ?? null).toBeNull();
    expect(item.area_living_sqm ?? null).toBeNull();
    expect(item.images).toHaveLength(10);
    expect(item.images?.[0]).toBe(
      "http://media.rightmove.co.uk/dir/62k/61682/64166101/61682_4562833_IMG_01_0000_max_656x437.jpg",
    );
    expect(item.images?.[9]).toMatch(/_IMG_10_0000_max_656x437\.jpg$/);
    expect(item.description).toMatch(/^A four bedroom 1076sqft freehold house .* Property ref: 121_1946_4562833$/s);
    expect(readIngestItem(item).success).toBe(true);
  });

  it("is recognised by content in saved-page mode: one valid listing under its own id", async () => {
    const { report, items } = await parseSavedPage(rightmove, "listing.html", new TextEncoder().encode(listing2018));
    expect(report).toMatchObject({ kind: "listing", listings: 1, valid: 1 });
    expect(report.error).toBeUndefined();
    expect(items[0]?.source_listing_id).toBe("64166101");
  });

  it("states a qualifier, a rent, sold STC and shared ownership as the other parsers do", () => {
    const rent = listing2018
      .replace('"channel":"buying"', '"channel":"renting"')
      .replace(/<strong>\s*£765,000<br \/>\s*<\/strong>/, "<strong>£2,100 pcm</strong><br /><small>£485 pw</small>")
      .replace('"letAgreed":false', '"letAgreed":true');
    expect(rightmove2018Listing(rent)).toMatchObject({ listing_type: "rent", price: 2_100, status: "pending" });

    const guide = listing2018
      .replace('"priceQualifier":"None"', '"priceQualifier":"Guide Price"')
      .replace('"soldSTC":false', '"soldSTC":true');
    expect(rightmove2018Listing(guide)).toMatchObject({ price: 765_000, price_qualifier: "guide", status: "pending" });

    const shared = rightmove2018Listing(listing2018.replace('"Non-shared ownership"', '"Shared ownership"'));
    expect(shared?.price ?? null).toBeNull();
    expect(shared?.attributes).toMatchObject({ shared_ownership: true, share_price: 765_000 });
  });

  it("a page without the record is not this layout, and a cut-off record is a parse error with its offset", async () => {
    expect(rightmove2018Listing(listing2018.replace("('property',", "('listing',"))).toBeNull();
    const cut = listing2018.slice(0, listing2018.indexOf('"propertyInfo"') + 30);
    expect(() => rightmove2018Listing(cut)).toThrow(/embedded JSON is not valid: DataLayer record 'property' at byte \d+/);
    await expect(
      rightmove.scrape(savedPage("<html><body><h1>Hello</h1></body></html>"), "https://www.rightmove.co.uk/properties/1"),
    ).rejects.toMatchObject({
      kind: "layout_changed",
      message: expect.stringMatching(/window\.PAGE_MODEL\.propertyData, or the 2018 page's DataLayer record 'property'/),
    });
  });
});
