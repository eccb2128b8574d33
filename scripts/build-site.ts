/** `npm run build:site`: builds the site and docs into site/dist and prints the JavaScript each page loads. */
import { buildSite, reportPageJs } from "./site.ts";

buildSite();
reportPageJs();
