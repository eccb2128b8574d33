/**
 * Melbourne Housing Snapshot (VIC, AU) sales 2016–2017, CC BY-NC-SA 4.0: tests and internal benchmarks
 * only, never the public demo. Column names are misspelled upstream (Lattitude, Longtitude); Date is
 * d/mm/yyyy; Type h/u/t; Method S/SP/SA sold, PI passed in, VB vendor bid. An address sold twice is
 * one property with two sales.
 */
import { compact, type IngestItem } from "../contract/item";
import { parseDmy, positiveArea, readPrice, splitUnit, tidyCase, toInt, toNumber } from "../core/normalise";
import { type DatasetImporter, Rejection } from "./importer";

const TYPES: Record<string, "house" | "apartment" | "townhouse"> = { h: "house", u: "apartment", t: "townhouse" };
const SOLD = new Set(["S", "SP", "SA"]);

export const melbourne: DatasetImporter = {
  name: "melb-data",
  source: "melb_data",
  description: "Melbourne Housing Snapshot sales 2016–2017",
  file: "melb_data.csv",
  country: "AU",
  licence: "CC BY-NC-SA 4.0 (non-commercial: tests only)",
  openLicence: false,
  map(r) {
    const address = (r.Address ?? "").trim();
    if (!address) return new Rejection("no address");
    const date = parseDmy(r.Date);
    if (!date) return new Rejection("unreadable date");
    const price = readPrice(r.Price).amount; // the one price reader, as every source
    const postcode = String(toInt(r.Postcode) ?? "");
    const { unit, street } = splitUnit(address);
    const sold = SOLD.has(r.Method ?? "");
    const lat = toNumber(r.Lattitude);
    const lng = toNumber(r.Longtitude);
    const year = toInt(r.YearBuilt);
    const id = `${address}, ${r.Suburb} ${postcode}`.toLowerCase().replace(/\s+/g, " ");
    return compact({
      source: "melb_data",
      source_listing_id: id,
      source_url: `https://www.kaggle.com/datasets/dansbecker/melbourne-housing-snapshot#${encodeURIComponent(id)}`,
      property_type: TYPES[r.Type ?? ""] ?? "other",
      listing_type: "sale",
      status: sold ? "sold" : "off_market",
      title: `${address}, ${tidyCase(r.Suburb)}`,
      price,
      sold_price: sold ? price : null,
      sold_at: sold ? date : null,
      listed_at: date,
      currency: "AUD",
      bedrooms: toInt(r.Bedroom2) ?? toInt(r.Rooms),
      bathrooms: toNumber(r.Bathroom),
      parking_spaces: toInt(r.Car),
      area_living_sqm: positiveArea(toNumber(r.BuildingArea)),
      area_land_sqm: positiveArea(toNumber(r.Landsize)),
      year_built: year && year >= 1800 ? year : null,
      address: compact({ street, unit, city: tidyCase(r.Suburb), state: "VIC", postal_code: postcode || null, country: "AU" }),
      location: lat !== null && lng !== null ? { lat, lng } : null,
      attributes: compact({
        sale_method: r.Method,
        agency: r.SellerG,
        council_area: r.CouncilArea,
        region: r.Regionname,
        rooms: toInt(r.Rooms),
      }),
    }) as IngestItem;
  },
  historyKey: (item) => item.source_listing_id,
  historyOrder: (item) => item.listed_at ?? "",
};
