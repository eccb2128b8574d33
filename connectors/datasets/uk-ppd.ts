/**
 * HM Land Registry Price Paid Data, Newcastle upon Tyne 2022 (the PPD report export).
 * Contains HM Land Registry data © Crown copyright and database right 2022, licensed under the Open
 * Government Licence v3.0. Each row is a transaction; street-level addresses (PAON/SAON/street) let
 * the Mill merge several transactions of one property. No coordinates: the geocoder places them.
 */
import { compact, type IngestItem } from "../contract/item";
import { parseIsoLikeDate, readPrice, tidyCase } from "../core/normalise";
import { type DatasetImporter, Rejection } from "./importer";

const TYPES: Record<string, { type: "house" | "townhouse" | "apartment" | "other"; subtype: string }> = {
  D: { type: "house", subtype: "detached" },
  S: { type: "house", subtype: "semi-detached" },
  T: { type: "townhouse", subtype: "terraced" },
  F: { type: "apartment", subtype: "flat/maisonette" },
  O: { type: "other", subtype: "other" },
};

export const ukPricePaid: DatasetImporter = {
  name: "uk-ppd-newcastle",
  source: "uk_ppd",
  description: "HM Land Registry Price Paid Data, Newcastle upon Tyne 2022",
  file: "uk_ppd_newcastle_2022.csv",
  country: "GB",
  licence: "Open Government Licence v3.0",
  openLicence: true,
  attribution:
    "Contains HM Land Registry data © Crown copyright and database right 2022. This data is licensed under the Open Government Licence v3.0.",
  csv: { fixHeader: "linked_data_uri" },
  map(r) {
    const id = (r.unique_id ?? "").replace(/[{}]/g, "").trim();
    if (!id) return new Rejection("no transaction id");
    const price = readPrice(r.price_paid).amount; // the one price reader, as every source
    if (!price || price <= 0) return new Rejection("no price");
    const date = parseIsoLikeDate(r.deed_date);
    if (!date) return new Rejection("unreadable date");
    const street = [r.paon, tidyCase(r.street)].filter(Boolean).join(" ") || null;
    if (!street && !r.postcode) return new Rejection("no address");
    const kind = TYPES[r.property_type ?? ""] ?? { type: "other" as const, subtype: r.property_type ?? "" };
    const city = tidyCase(r.town);
    return compact({
      source: "uk_ppd",
      source_listing_id: id,
      source_url: r.linked_data_uri || `http://landregistry.data.gov.uk/data/ppi/transaction/${id}/current`,
      property_type: kind.type,
      property_subtype: kind.subtype,
      listing_type: "sale",
      status: "sold",
      title: [r.saon, street, city].filter(Boolean).join(", "),
      price,
      sold_price: price,
      sold_at: date,
      listed_at: date,
      currency: "GBP",
      address: compact({
        street,
        unit: r.saon || null,
        city,
        state: tidyCase(r.county),
        postal_code: r.postcode || null,
        country: "GB",
      }),
      attributes: compact({
        new_build: r.new_build === "Y",
        tenure: r.estate_type === "F" ? "freehold" : r.estate_type === "L" ? "leasehold" : null,
        locality: tidyCase(r.locality),
        district: tidyCase(r.district),
        transaction_category: r.transaction_category === "B" ? "additional" : "standard",
      }),
    }) as IngestItem;
  },
};
