import { expect, it } from "vitest";
import { describeWithFixtures, fixtureContext } from "../test-support";
import { homesCoNz } from "./homes-co-nz";

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
    expect(first?.source_url).toMatch(/\/wellington\/churton-park\/4-halswater-drive\/84nzg$/);
    expect(second).toMatchObject({
      price: 553450,
      bedrooms: 2,
      bathrooms: 1,
      address: { street: "221A High Street", city: "Lower Hutt" },
      attributes: { suburb: "Hutt Central" },
    });
  });
});
