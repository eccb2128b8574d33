/**
 * King County (WA, US) house sales 2014-05 → 2015-05, CC0 (Kaggle "House Sales in King County, USA").
 * No street addresses: ZIP → city, coordinates from the file. `id` is the parcel: its repeat sales are
 * one property's price history.
 */

import { kingCountyCity } from "../../db/demo/king-county";
import { compact, type IngestItem } from "../contract/item";
import { parseIsoLikeDate, positiveArea, readPrice, SQFT_TO_SQM, toInt, toNumber } from "../core/normalise";
import { type DatasetImporter, Rejection } from "./importer";

export const kingCounty: DatasetImporter = {
  name: "kc-house-data",
  source: "kc_house_data",
  description: "King County (WA, US) house sales 2014–2015",
  file: "kc_house_data.csv",
  country: "US",
  licence: "CC0 1.0",
  openLicence: true,
  map(r) {
    const price = readPrice(r.price).amount; // the one price reader, as every source
    if (!price || price <= 0) return new Rejection("no price");
    const soldAt = parseIsoLikeDate(r.date);
    if (!soldAt) return new Rejection("unreadable date");
    const beds = toInt(r.bedrooms);
    if (beds !== null && beds > 20) return new Rejection("implausible bedrooms (known outlier)");
    const lat = toNumber(r.lat);
    const lng = toNumber(r.long);
    const zip = (r.zipcode ?? "").trim();
    const city = kingCountyCity(zip);
    const renovated = toInt(r.yr_renovated);
    return compact({
      source: "kc_house_data",
      source_listing_id: String(r.id).trim(),
      source_url: `https://www.kaggle.com/datasets/harlfoxem/housesalesprediction#${String(r.id).trim()}`,
      property_type: "house",
      listing_type: "sale",
      status: "sold",
      title: `${beds ?? "?"} bed house in ${city}`,
      price,
      sold_price: price,
      sold_at: soldAt,
      listed_at: soldAt,
      currency: "USD",
      bedrooms: beds,
      bathrooms: toNumber(r.bathrooms),
      area_living_sqm: positiveArea(toNumber(r.sqft_living), SQFT_TO_SQM),
      area_land_sqm: positiveArea(toNumber(r.sqft_lot), SQFT_TO_SQM),
      year_built: toInt(r.yr_built) || null,
      address: { city, state: "WA", postal_code: zip, country: "US" },
      location: lat !== null && lng !== null ? { lat, lng } : null,
      attributes: compact({
        parcel_id: String(r.id).trim(),
        floors: toNumber(r.floors),
        waterfront: r.waterfront === "1",
        view: toInt(r.view),
        condition: toInt(r.condition),
        grade: toInt(r.grade),
        year_renovated: renovated || null,
      }),
    }) as IngestItem;
  },
  historyKey: (item) => item.source_listing_id,
};
