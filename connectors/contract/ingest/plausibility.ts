/**
 * Plausibility at ingest: checks every entry point gets (API, connectors, importers, enrichment), on
 * values that are well-formed but cannot be right.
 *
 * - Coordinates outside the listing's country: a London flat carrying a point in Western Australia.
 *   The point is dropped, so the property is stored without one and the hourly enrichment run, which
 *   takes properties without coordinates first (pkg/enrichment/scheduler.ts), geocodes its address.
 *   The boxes are generous (territorial waters, outlying islands); a country without a box is not checked.
 * - A price in a currency that is not the currency of the listing's country (a Vancouver house at
 *   "USD" 2,098,000 whose page shows "$2,098,000" and whose MLS listing is in Canadian dollars): the
 *   amount is most likely right and its currency wrong, and a wrong currency is a wrong price in every
 *   filter and sort. Kept only when the source is consistent about it, i.e. its own price text names
 *   that currency ("US$ 1,898,000", "£350,000"); a bare number or an ambiguous "$" beside a contradicting
 *   `currency` is withheld: not stored as the price, the source's amounts and currency kept in
 *   `attributes.withheld_price`, and flagged. The country's currency is the one `defaultCurrency` names
 *   (normalise/money.ts); a country without one is not checked.
 * - Prices outside a sane range for the currency and the listing type (a sale at 3, a rent of
 *   5,000,000 a month): stored, since the source did say it, but flagged in the response's warnings.
 */
import { toMajorUnits } from "../money/minor-units";
import type { Listing } from "./listing";
import { defaultCurrency } from "./normalise/money";

/** [minLng, minLat, maxLng, maxLat] of each supported country (WGS 84). */
export const COUNTRY_BBOX: Record<string, readonly [number, number, number, number]> = {
  AU: [112.0, -44.5, 154.5, -9.0],
  NZ: [165.5, -48.0, 179.0, -33.5],
  GB: [-8.7, 49.8, 2.0, 61.0],
  IE: [-10.7, 51.3, -5.9, 55.5],
  MT: [14.1, 35.7, 14.7, 36.1],
  // The 48 states, Alaska (to 180°) and Hawaii.
  US: [-180.0, 18.5, -66.5, 71.6],
  CA: [-141.1, 41.6, -52.5, 83.2],
  CH: [5.9, 45.8, 10.5, 47.9],
  FR: [-5.2, 41.3, 9.6, 51.1],
  DE: [5.8, 47.2, 15.1, 55.1],
  ES: [-18.2, 27.6, 4.4, 43.8],
  IT: [6.6, 35.4, 18.6, 47.1],
  NL: [3.3, 50.7, 7.3, 53.6],
};

/**
 * A sane range per currency, in major units: [lowest sale, highest sale, lowest monthly rent, highest
 * monthly rent]. Currencies without an entry are not checked.
 */
export const PRICE_RANGE: Record<string, readonly [number, number, number, number]> = {
  AUD: [10_000, 200_000_000, 100, 200_000],
  NZD: [10_000, 150_000_000, 100, 150_000],
  GBP: [5_000, 150_000_000, 100, 200_000],
  EUR: [5_000, 150_000_000, 100, 200_000],
  USD: [5_000, 250_000_000, 100, 250_000],
  CAD: [5_000, 200_000_000, 100, 200_000],
  CHF: [10_000, 200_000_000, 200, 200_000],
};

export type PlausibilityWarning =
  | { code: "location_outside_country"; country: string; lat: number; lng: number; action: "dropped_queued_for_geocoding" }
  | { code: "currency_country_mismatch"; country: string; currency: string; expected: string; action: "price_withheld" }
  | { code: "implausible_price"; field: "price" | "sold_price"; value: number; currency: string; range: [number, number] };

export function insideCountry(country: string, lat: number, lng: number): boolean | null {
  const box = COUNTRY_BBOX[country];
  if (!box) return null;
  const [minLng, minLat, maxLng, maxLat] = box;
  return lng >= minLng && lng <= maxLng && lat >= minLat && lat <= maxLat;
}

/** What the source itself said beside the validated item. */
export type SourceStatement = {
  /** The currency the source's price text names unambiguously ("US$ 1,898,000" → USD), null for a number or a bare "$". */
  priceTextCurrency?: string | null;
};

/**
 * A price in another currency than the country's, without the source's own text naming that currency:
 * withheld (see the module's comment). Returns null when there is nothing to withhold.
 */
function withholdForeignPrice(
  listing: Listing,
  source: SourceStatement,
): { listing: Listing; warning: PlausibilityWarning } | null {
  const expected = defaultCurrency(listing.country);
  if (!expected || listing.currency === expected) return null;
  if (listing.priceMinor === null && listing.soldPriceMinor === null) return null;
  if (source.priceTextCurrency === listing.currency) return null;
  const major = (minor: number | null) => (minor === null ? null : toMajorUnits(minor, listing.currency));
  const { price_max: priceMax, ...attributes } = listing.attributes;
  return {
    listing: {
      ...listing,
      priceMinor: null,
      soldPriceMinor: null,
      soldPriceGiven: false,
      currency: expected,
      attributes: {
        ...attributes,
        withheld_price: {
          price: major(listing.priceMinor),
          ...(listing.soldPriceMinor !== null ? { sold_price: major(listing.soldPriceMinor) } : {}),
          ...(priceMax !== undefined ? { price_max: priceMax } : {}),
          currency: listing.currency,
          reason: "currency_country_mismatch",
        },
      },
    },
    warning: {
      code: "currency_country_mismatch",
      country: listing.country,
      currency: listing.currency,
      expected,
      action: "price_withheld",
    },
  };
}

/** The checks, applied: returns the listing to store (the location dropped when outside) and the warnings. */
export function checkPlausibility(
  listing: Listing,
  source: SourceStatement = {},
): { listing: Listing; warnings: PlausibilityWarning[] } {
  const warnings: PlausibilityWarning[] = [];
  let out = listing;
  const loc = listing.location;
  if (loc && insideCountry(listing.country, loc.lat, loc.lng) === false) {
    warnings.push({
      code: "location_outside_country",
      country: listing.country,
      lat: loc.lat,
      lng: loc.lng,
      action: "dropped_queued_for_geocoding",
    });
    out = {
      ...out,
      location: null,
      locationPrecision: null,
      attributes: { ...out.attributes, rejected_location: { lat: loc.lat, lng: loc.lng, reason: "outside_country" } },
    };
  }
  const foreign = withholdForeignPrice(out, source);
  if (foreign) {
    warnings.push(foreign.warning);
    out = foreign.listing;
  }
  const range = PRICE_RANGE[out.currency];
  if (range) {
    const rent = out.listingType === "rent";
    const [low, high] = rent ? [range[2], range[3]] : [range[0], range[1]];
    const check = (field: "price" | "sold_price", minor: number | null) => {
      if (minor === null) return;
      const value = toMajorUnits(minor, out.currency);
      if (value < low || value > high)
        warnings.push({ code: "implausible_price", field, value, currency: out.currency, range: [low, high] });
    };
    check("price", out.priceMinor);
    if (out.soldPriceGiven) check("sold_price", out.soldPriceMinor);
  }
  if (warnings.some((w) => w.code === "implausible_price"))
    out = { ...out, attributes: { ...out.attributes, implausible_price: true } };
  return { listing: out, warnings };
}
