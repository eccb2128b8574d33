import { describe, expect, it } from "vitest";
import { formatQuery, parseAddress } from "./parse";

function parsed(input: string, hint?: Parameters<typeof parseAddress>[1]) {
  const r = parseAddress(input, hint);
  if (!r.ok) throw new Error(`expected ${input} to parse: ${r.reason}`);
  return r.components;
}

describe("parseAddress: US", () => {
  it("parses the documented example (docs/geocoding.md) with the state expanded", () => {
    expect(parsed("123 Main Street, San Francisco, CA 94102")).toEqual({
      street_number: "123",
      street_name: "Main Street",
      unit: "",
      suburb: "",
      city: "San Francisco",
      state: "California",
      postal_code: "94102",
      country: "United States",
      country_code: "US",
    });
  });

  it("reads apartment units, ZIP+4 and street abbreviations", () => {
    expect(parsed("4500 Roosevelt Way NE Apt 12, Seattle, WA 98105-4412, USA")).toMatchObject({
      street_number: "4500",
      street_name: "Roosevelt Way NE",
      unit: "12",
      city: "Seattle",
      state: "Washington",
      postal_code: "98105-4412",
      country_code: "US",
    });
    expect(parsed("77 Elm St #5, Springfield, Illinois 62701")).toMatchObject({
      street_name: "Elm Street",
      unit: "5",
      state: "Illinois",
    });
  });

  it("splits an address written without commas at the street type", () => {
    expect(parsed("350 Fifth Ave New York NY 10118")).toMatchObject({
      street_number: "350",
      street_name: "Fifth Avenue",
      city: "New York",
      state: "New York",
      postal_code: "10118",
    });
  });
});

describe("parseAddress: AU", () => {
  it("reads slash units and expands the state", () => {
    expect(parsed("2/14 Smith St, Fitzroy VIC 3065")).toMatchObject({
      unit: "2",
      street_number: "14",
      street_name: "Smith Street",
      city: "Fitzroy",
      state: "Victoria",
      postal_code: "3065",
      country: "Australia",
      country_code: "AU",
    });
  });

  it("reads a unit part, a full state name and the country", () => {
    expect(parsed("Unit 5, 22 George Street, Sydney, New South Wales 2000, Australia")).toMatchObject({
      unit: "5",
      street_number: "22",
      street_name: "George Street",
      city: "Sydney",
      state: "New South Wales",
      postal_code: "2000",
    });
  });

  it("reads WA with a 4-digit postcode as Western Australia, not Washington", () => {
    expect(parsed("9 Hay St, Perth WA 6000")).toMatchObject({ state: "Western Australia", country_code: "AU" });
  });

  it("keeps 'St' at the start of a street name", () => {
    expect(parsed("100 St Kilda Rd, Melbourne VIC 3004")).toMatchObject({ street_name: "St Kilda Road" });
  });
});

describe("parseAddress: NZ", () => {
  it("reads suburb, town and postcode, and infers NZ from the town", () => {
    expect(parsed("Flat 3, 45 Cuba Street, Te Aro, Wellington 6011")).toMatchObject({
      unit: "3",
      street_number: "45",
      street_name: "Cuba Street",
      suburb: "Te Aro",
      city: "Wellington",
      postal_code: "6011",
      country: "New Zealand",
      country_code: "NZ",
    });
  });

  it("accepts an explicit country and slash units", () => {
    expect(parsed("1/12 Queen St, Auckland Central, Auckland 1010, New Zealand")).toMatchObject({
      unit: "1",
      street_number: "12",
      city: "Auckland",
      suburb: "Auckland Central",
      country_code: "NZ",
    });
  });
});

describe("parseAddress: GB", () => {
  it("reads postcodes with and without the space", () => {
    expect(parsed("10 Downing Street, London SW1A 2AA")).toMatchObject({
      street_number: "10",
      street_name: "Downing Street",
      city: "London",
      postal_code: "SW1A 2AA",
      country: "United Kingdom",
      country_code: "GB",
    });
    expect(parsed("Flat 2, 14 Grey Street, Newcastle upon Tyne, ne16ae")).toMatchObject({
      unit: "2",
      city: "Newcastle upon Tyne",
      postal_code: "NE1 6AE",
    });
  });
});

describe("parseAddress: MT", () => {
  it("reads Maltese postcodes and a house number written as its own part", () => {
    expect(parsed("12, Triq il-Kbira, Valletta VLT 1117, Malta")).toMatchObject({
      street_number: "12",
      street_name: "Triq il-Kbira",
      city: "Valletta",
      postal_code: "VLT 1117",
      country: "Malta",
      country_code: "MT",
    });
    expect(parsed("Flat 4, 21 Republic Street, Sliema SLM1021")).toMatchObject({
      unit: "4",
      city: "Sliema",
      postal_code: "SLM 1021",
      country_code: "MT",
    });
  });
});

describe("parseAddress: rejections", () => {
  it.each([
    "PO Box 123, Fitzroy VIC 3065",
    "P.O. Box 9, Seattle WA 98101",
    "GPO Box 1234, Sydney NSW 2001",
    "Private Bag 4, Wellington 6011",
    "Locked Bag 7, Perth WA 6000",
  ])("rejects the PO box %s as INVALID_REQUEST", (input) => {
    expect(parseAddress(input)).toMatchObject({ ok: false, status: "INVALID_REQUEST" });
  });

  it.each(["invalid address", "hello", "!!!"])("answers PARSE_ERROR for %s", (input) => {
    expect(parseAddress(input)).toMatchObject({ ok: false, status: "PARSE_ERROR" });
  });

  it("answers INVALID_REQUEST for blank input", () => {
    expect(parseAddress("   ")).toMatchObject({ ok: false, status: "INVALID_REQUEST" });
  });
});

describe("formatQuery", () => {
  it("writes a clean one-line query from the parts", () => {
    expect(formatQuery(parsed("2/14 Smith St, Fitzroy VIC 3065"))).toBe("14 Smith Street, Fitzroy, Victoria 3065, Australia");
  });
});

describe("parseAddress: state names as their own part", () => {
  it("reads a full state name written as the last part", () => {
    expect(parsed("Lydiard Street, Ballarat, Victoria")).toMatchObject({
      street_name: "Lydiard Street",
      city: "Ballarat",
      state: "Victoria",
      country_code: "AU",
    });
  });
});
