/** Countries as ISO 3166-1 alpha-2 codes, from a code, an alpha-3 code of a common market, or an English name. */
import { foldKey } from "./text";

/** Every officially assigned ISO 3166-1 alpha-2 code. */
export const ISO_COUNTRIES = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
    "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
    "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
    "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
    "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

/** Names and codes people actually write that are not the English short name of the code. */
const ALIASES: Record<string, string> = {
  uk: "GB",
  "great britain": "GB",
  britain: "GB",
  england: "GB",
  scotland: "GB",
  wales: "GB",
  "northern ireland": "GB",
  "united kingdom of great britain and northern ireland": "GB",
  gbr: "GB",
  usa: "US",
  "u s a": "US",
  "u s": "US",
  america: "US",
  "united states of america": "US",
  aus: "AU",
  "commonwealth of australia": "AU",
  nzl: "NZ",
  aotearoa: "NZ",
  "aotearoa new zealand": "NZ",
  mlt: "MT",
  "republic of malta": "MT",
  irl: "IE",
  "republic of ireland": "IE",
  can: "CA",
  fra: "FR",
  deu: "DE",
  germany: "DE",
  esp: "ES",
  ita: "IT",
  prt: "PT",
  nld: "NL",
  holland: "NL",
  "the netherlands": "NL",
  bel: "BE",
  che: "CH",
  aut: "AT",
  zaf: "ZA",
  sgp: "SG",
  "south korea": "KR",
  "north korea": "KP",
  russia: "RU",
  "czech republic": "CZ",
  uae: "AE",
};

let byName: Map<string, string> | undefined;

/** English display name → code, built once per isolate from the runtime's ICU data. */
function namesToCodes(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  const names = new Intl.DisplayNames(["en"], { type: "region" });
  for (const code of ISO_COUNTRIES) {
    const name = names.of(code);
    if (name && name !== code) byName.set(foldKey(name), code);
  }
  for (const [alias, code] of Object.entries(ALIASES)) byName.set(alias, code);
  return byName;
}

/** "nz", "New Zealand", "NZL", "Aotearoa" → "NZ"; undefined when it names no country. */
export function toCountryCode(value: string): string | undefined {
  const trimmed = value.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase();
    if (code === "UK") return "GB";
    return ISO_COUNTRIES.has(code) ? code : undefined;
  }
  return namesToCodes().get(foldKey(trimmed));
}
