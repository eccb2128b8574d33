/** Money: the one price reader, rent periods and minor units (see each module). */
export { type ListingPrice, listingPrice, type SourcePrice } from "./listing-price";
export { currenciesByMinorDigits, minorUnitDigits, toMajor, toMajorUnits, toMinorUnits } from "./minor-units";
export {
  PRICE_QUALIFIERS,
  type PriceQualifier,
  type PriceReading,
  parseNumber,
  priceAmount,
  RENT_PERIODS,
  type RentPeriod,
  readPrice,
} from "./read-price";
export { perMonth, toRentPeriod } from "./rent-period";
