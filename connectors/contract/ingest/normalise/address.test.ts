import { describe, expect, it } from "vitest";
import { normaliseAddress } from "./address";

describe("address normalisation per country", () => {
  describe("AU", () => {
    it('splits "Unit 4/12 Smith St" into unit 4 at 12 Smith Street', () => {
      const a = normaliseAddress({
        street: "Unit 4/12 Smith St",
        city: "SURRY HILLS",
        state: "new south wales",
        postal_code: "2010",
        country: "AU",
      });
      expect(a).toMatchObject({ street: "12 Smith Street", unit: "4", city: "Surry Hills", state: "NSW", postalCode: "2010" });
      expect(a.full).toBe("4/12 Smith Street, Surry Hills NSW 2010");
      expect(a.identityKey).toBe("AU|2010|surry hills|12|smith street|4");
    });

    it("gives the same identity to the spellings of one unit and a different one to its neighbour", () => {
      const base = { city: "Surry Hills", postal_code: "2010", country: "AU" };
      const keys = ["4/12 Smith Street", "U4 12 Smith St.", "Unit 4, 12 smith st", "12 Smith St", "5/12 Smith St"].map(
        (street) => normaliseAddress({ ...base, street }).identityKey,
      );
      expect(keys[0]).toBe(keys[1]);
      expect(keys[0]).toBe(keys[2]);
      expect(keys[3]).not.toBe(keys[0]);
      expect(keys[4]).not.toBe(keys[0]);
    });

    it("keeps a leading St (Saint) and pads 3-digit NT postcodes", () => {
      const a = normaliseAddress({ street: "10 St Kilda Rd", city: "Darwin", postal_code: "800", state: "NT", country: "AU" });
      expect(a.street).toBe("10 St Kilda Road");
      expect(a.postalCode).toBe("0800");
    });

    it('spells out "La" as Lane', () => {
      expect(normaliseAddress({ street: "1 Swallow La", city: "Footscray", country: "AU" }).street).toBe("1 Swallow Lane");
    });

    it("is not street level without a house number", () => {
      const a = normaliseAddress({ street: "Smith Street", city: "Surry Hills", country: "AU" });
      expect(a.identityKey).toBeNull();
      expect(a.street).toBe("Smith Street");
    });
  });

  describe("GB street names that end in a unit word", () => {
    it('keeps "Park Villas" a street name, upper case and with a trailing full stop too', () => {
      for (const street of ["3 Gosforth Park Villas", "3 GOSFORTH PARK VILLAS."]) {
        const a = normaliseAddress({ street, city: "Newcastle upon Tyne", postal_code: "NE13 6PP", country: "GB" });
        expect(a.unit, street).toBeNull();
        expect(a.identityKey, street).toBe("GB|NE136PP|newcastle upon tyne|3|gosforth park villas|");
      }
    });

    it("still reads a trailing flat number", () => {
      expect(normaliseAddress({ street: "12 High St, Flat 2", city: "Leeds", country: "GB" }).unit).toBe("2");
      expect(normaliseAddress({ street: "123 Main St Apt4B", city: "Oakland", country: "US" }).unit).toBe("4B");
    });
  });

  describe("NZ", () => {
    it("reads flat/number and spells out suffixes", () => {
      const a = normaliseAddress({ street: "Flat 2/15 queen st", city: "auckland central", postal_code: "1010", country: "NZ" });
      expect(a).toMatchObject({ street: "15 Queen Street", unit: "2", city: "Auckland Central", postalCode: "1010" });
      expect(a.full).toBe("2/15 Queen Street, Auckland Central 1010");
    });

    it("keeps letter suffixes of house numbers", () => {
      const a = normaliseAddress({ street: "15a Karori Rd", city: "Wellington", country: "NZ" });
      expect(a.street).toBe("15A Karori Road");
      expect(a.identityKey).toBe("NZ||wellington|15a|karori road|");
    });
  });

  describe("US", () => {
    it("reads trailing apartment numbers, directionals and ZIP+4", () => {
      const a = normaliseAddress({
        street: "123 N Main St Apt 4B",
        city: "oakland",
        state: "California",
        postal_code: "94612-1234",
        country: "US",
      });
      expect(a).toMatchObject({
        street: "123 North Main Street",
        unit: "4B",
        city: "Oakland",
        state: "CA",
        postalCode: "94612-1234",
      });
      expect(a.full).toBe("123 North Main Street Unit 4B, Oakland, CA 94612-1234");
      // ZIP+4 and ZIP5 are the same place
      const b = normaliseAddress({
        street: "123 North Main Street #4b",
        city: "Oakland",
        state: "CA",
        postal_code: "94612",
        country: "US",
      });
      expect(b.identityKey).toBe(a.identityKey);
    });

    it("spells out a trailing directional after the suffix", () => {
      expect(normaliseAddress({ street: "1600 Pennsylvania Ave NW", city: "Washington", country: "US" }).street).toBe(
        "1600 Pennsylvania Avenue Northwest",
      );
    });
  });

  describe("GB", () => {
    it("reads flats and building names, formats postcodes", () => {
      const a = normaliseAddress({
        street: "Flat 3, Ashdown House, 12 High St",
        city: "NEWCASTLE UPON TYNE",
        postal_code: "ne14st",
        country: "GB",
      });
      expect(a).toMatchObject({
        street: "12 High Street",
        unit: "3",
        building: "Ashdown House",
        city: "Newcastle upon Tyne",
        postalCode: "NE1 4ST",
      });
      expect(a.full).toBe("Flat 3, Ashdown House, 12 High Street, Newcastle upon Tyne NE1 4ST");
      const b = normaliseAddress({
        street: "12 High Street",
        unit: "Flat 3",
        city: "Newcastle upon Tyne",
        postal_code: "NE1 4ST",
        country: "GB",
      });
      expect(b.identityKey).toBe(a.identityKey);
    });
  });

  describe("MT", () => {
    it("reads Maltese street names with the number after them, and postcodes", () => {
      const a = normaliseAddress({ street: "Triq il-Kbira 12", city: "sliema", postal_code: "slm1234", country: "MT" });
      expect(a).toMatchObject({ street: "12 Triq il-Kbira", city: "Sliema", postalCode: "SLM 1234" });
      const b = normaliseAddress({ street: "12, TRIQ IL-KBIRA", city: "Sliema", postal_code: "SLM 1234", country: "MT" });
      expect(b.identityKey).toBe(a.identityKey);
      expect(b.street).toBe("12 Triq il-Kbira");
    });

    it("identifies a named house on a street, and keeps flats apart", () => {
      const a = normaliseAddress({ street: "Villa Rosa, Triq il-Wied", city: "Naxxar", country: "MT" });
      expect(a).toMatchObject({ building: "Villa Rosa", street: "Triq il-Wied" });
      expect(a.identityKey).toBe("MT||naxxar|villa rosa|triq il wied|");
      const flat = normaliseAddress({ street: "Flat 4, Sunny Court, Triq San Pawl", city: "St Paul's Bay", country: "MT" });
      expect(flat).toMatchObject({ unit: "4", building: "Sunny Court" });
      expect(flat.identityKey).toBe("MT||st pauls bay|sunny court|triq san pawl|4");
    });

    it("folds Maltese letters in keys", () => {
      const a = normaliseAddress({ street: "5 Triq Ħal Qormi", city: "Żebbuġ", country: "MT" });
      expect(a.identityKey).toBe("MT||zebbug|5|triq hal qormi|");
    });
  });
});
