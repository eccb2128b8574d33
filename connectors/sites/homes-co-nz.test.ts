import { parse } from "csv-parse/sync";
import { expect, it } from "vitest";
import type { PageFetcher } from "../contract/connector";
import { describeWithFixtures, fixtureContext, fixtures } from "../test-support";
import { type HomesRecord, homesAppStateRecords, homesCoNz, homesRecords, homesRecordToItem } from "./homes-co-nz";

// The API records served by the fixture site are the real homes.co.nz records of the 2023 Wellington
// snapshot (../shared/datasets/nz_wellington_homes_2023.csv); values read by hand from that file.
describeWithFixtures("homes.co.nz connector on real API records", () => {
  it("maps the records of a search page field by field", async () => {
    const page = await homesCoNz.searchPage(fixtureContext("/homes"), "wellington", 1);
    expect(page.listings).toHaveLength(25);
    const [first, second] = page.listings.map((l) => l.item);
    expect(first).toMatchObject({
      source: "homes.co.nz",
      source_listing_id: "68b50081-f37a-491f-b475-70f96431910d",
      listing_type: "sale",
      status: "active",
      price: 915000,
      currency: "NZD",
      bedrooms: 4,
      bathrooms: 2,
      parking_spaces: 1,
      address: { street: "4 Halswater Drive", city: "Wellington", country: "NZ" },
      location: { lat: -41.2074830167, lng: 174.811438717 },
      images: ["https://s3-ap-southeast-2.amazonaws.com/homes-listing-images/1544459936079423331"],
      attributes: { suburb: "Churton Park", capital_value: 1200000, land_value: 670000 },
    });
    // The card's path is below /address/, where the site serves the property page.
    expect(first?.source_url).toBe("https://homes.co.nz/address/wellington/churton-park/4-halswater-drive/84nzg");
    expect(second).toMatchObject({
      price: 553450,
      bedrooms: 2,
      bathrooms: 1,
      address: { street: "221A High Street", city: "Lower Hutt" },
      attributes: { suburb: "Hutt Central" },
    });
  });
});

/** The 2023 snapshot's records (real gateway cards, flattened by the course that collected them). */
async function snapshot(): Promise<HomesRecord[]> {
  const res = await fetch(`${fixtures.urls.main}/raw/datasets/nz_wellington_homes_2023.csv`);
  return parse(await res.text(), { columns: true }) as HomesRecord[];
}

/** Fields the gateway returns on the card itself; everything else is in its `property_details`. */
const CARD_FIELDS = ["item_id", "id", "state", "price", "url", "featured_at", "featured_plan"];

/** A snapshot record put back in the gateway's shape (`{ …card, property_details }`) as public clients read it. */
function asCard(record: HomesRecord) {
  const card: Record<string, unknown> = {};
  const details: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) (CARD_FIELDS.includes(k) ? card : details)[k] = v;
  return { ...card, property_details: details };
}

describeWithFixtures("homes.co.nz current envelopes (gateway cards, homes-app-state pages)", () => {
  it("reads gateway cards with property_details as the flat records they are", async () => {
    const records = (await snapshot()).slice(0, 25);
    const fromCards = homesRecords({ cards: records.map(asCard) }).map((r) => homesRecordToItem(r));
    expect(fromCards).toEqual(records.map((r) => homesRecordToItem(r)));
    expect(fromCards[0]).toMatchObject({ price: 915000, bedrooms: 4, address: { street: "4 Halswater Drive" } });
  });

  it("scrape() reads a property page's homes-app-state (any key, any quoting) and reports a page without it", async () => {
    const [record] = await snapshot();
    const state = { "2351154191": { b: { card: asCard(record as HomesRecord) } }, __nghData__: [] };
    const page = `<!doctype html><html><body><app-root></app-root><script id=homes-app-state type='application/json'>${JSON.stringify(state)}</script></body></html>`;
    expect(homesAppStateRecords(page)).toHaveLength(1);
    const url = "https://homes.co.nz/address/wellington/churton-park/4-halswater-drive/84nzg";
    const fetcher = (text: string): PageFetcher => ({
      requests: 0,
      get: async (u) => ({ url: u, status: 200, contentType: "text/html", text }),
      getJson: async () => JSON.parse(text),
    });
    const item = await homesCoNz.scrape({ fetcher: fetcher(page), baseUrl: "https://homes.co.nz" }, url);
    expect(item).toMatchObject({
      source_listing_id: "68b50081-f37a-491f-b475-70f96431910d",
      source_url: url,
      price: 915000,
      bedrooms: 4,
      bathrooms: 2,
      parking_spaces: 1,
      address: { street: "4 Halswater Drive", city: "Wellington", country: "NZ" },
      attributes: { suburb: "Churton Park", capital_value: 1200000 },
    });
    await expect(
      homesCoNz.scrape({ fetcher: fetcher("<html><body>Maintenance</body></html>"), baseUrl: "https://homes.co.nz" }, url),
    ).rejects.toMatchObject({ kind: "layout_changed" });
  });
});
