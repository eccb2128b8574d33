/**
 * Generic schema.org connector: any site that publishes listings as JSON-LD (RealEstateListing, or a
 * Residence/House/Apartment/SingleFamilyResidence with an Offer) is covered by a site description, no
 * code. Listing URLs come from the site's sitemap.xml (sitemap indexes followed) or from index pages.
 * This is how Maltese portals (and any other JSON-LD publisher) are crawled.
 *
 * Site description (`ConnectorContext.settings`, from the CRAWL_SCHEDULE binding or `--site` in the CLI):
 *   { source: "example.com.mt", country: "MT", currency: "EUR",
 *     sitemap?: "/sitemap.xml",                       // or
 *     indexPages?: "/for-sale?page={page}",           // {location} and {page} are substituted
 *     listingPattern: "/property/[0-9]+",             // which links are listings (RegExp source)
 *     listingType?: "sale" | "rent", pageSize?: 20,
 *     canonicalBase?: "https://example.com.mt" }        // public origin when crawling a mirror
 */
import { type Connector, type ConnectorContext, ownsUrl, type SearchPage, siteUrl } from "../contract/connector";
import { layoutChanged, parseError } from "../contract/errors";
import type { IngestItem } from "../contract/item";
import { jsonLdNodes, schemaOrgItems } from "../core/extract/jsonld";
import type { EmbeddedJsonError } from "../core/extract/scripts";

export type SchemaOrgSite = {
  source: string;
  country: string;
  currency: string;
  sitemap?: string;
  indexPages?: string;
  listingPattern: string;
  listingType?: "sale" | "rent";
  pageSize?: number;
  /** The site's public origin, when fetching from a mirror: listings are identified by their public URL. */
  canonicalBase?: string;
};

export function siteSettings(ctx: ConnectorContext): SchemaOrgSite {
  const s = ctx.settings as Partial<SchemaOrgSite> | undefined;
  if (!s?.source || !s.country || !s.currency || !s.listingPattern || (!s.sitemap && !s.indexPages)) {
    throw new Error("schema-org connector needs settings {source, country, currency, listingPattern, sitemap|indexPages}");
  }
  return { pageSize: 20, ...s } as SchemaOrgSite;
}

/** <loc> values of a sitemap or sitemap index. */
export function sitemapLocations(xml: string): { sitemaps: string[]; urls: string[] } {
  const locs = (block: string) =>
    [...xml.matchAll(new RegExp(`<${block}>[\\s\\S]*?<loc>\\s*([^<\\s]+)\\s*</loc>`, "gi"))].map((m) =>
      (m[1] as string).replace(/&amp;/g, "&"),
    );
  return { sitemaps: locs("sitemap"), urls: locs("url") };
}

/** Links on an index page that match the listing pattern, absolute, in page order, deduplicated. */
export function listingLinks(html: string, pageUrl: string, pattern: RegExp): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<a\b[^>]*\bhref\s*=\s*["']([^"'#]+)["']/gi)) {
    try {
      const url = new URL((m[1] as string).replace(/&amp;/g, "&"), pageUrl);
      if (pattern.test(url.pathname + url.search)) out.add(url.href);
    } catch {
      // not a URL
    }
  }
  return [...out];
}

async function sitemapListingUrls(ctx: ConnectorContext, site: SchemaOrgSite, pattern: RegExp): Promise<string[]> {
  const queue = [siteUrl(ctx, site.sitemap as string)];
  const urls: string[] = [];
  for (let i = 0; i < queue.length && i < 50; i++) {
    const res = await ctx.fetcher.get(queue[i] as string, "application/xml,text/xml;q=0.9,*/*;q=0.5");
    const { sitemaps, urls: found } = sitemapLocations(res.text);
    queue.push(...sitemaps);
    urls.push(...found.filter((u) => pattern.test(new URL(u).pathname)));
  }
  return urls;
}

/** A fetched URL as the public site names it (its canonical origin when crawling a mirror). */
function publicUrl(site: SchemaOrgSite, url: string): string {
  const u = new URL(url);
  return site.canonicalBase ? new URL(u.pathname + u.search, site.canonicalBase).href : url;
}

export const schemaOrg: Connector = {
  name: "schema-org",
  domains: [],
  country: "ZZ",
  description: "any site publishing schema.org JSON-LD listings (sitemap or index pages); configured per site",
  defaultBaseUrl: "",
  exampleLocation: "",

  async searchPage(ctx, location, page): Promise<SearchPage> {
    const site = siteSettings(ctx);
    const pattern = new RegExp(site.listingPattern);
    let urls: string[];
    let hasMore: boolean;
    if (site.sitemap) {
      // The sitemap is the whole catalogue: "pages" are slices of it.
      const all = await sitemapListingUrls(ctx, site, pattern);
      const size = site.pageSize ?? 20;
      urls = all.slice((page - 1) * size, page * size);
      hasMore = all.length > page * size;
    } else {
      const path = (site.indexPages as string)
        .replace("{location}", encodeURIComponent(location))
        .replace("{page}", String(page));
      const res = await ctx.fetcher.get(siteUrl(ctx, path));
      urls = listingLinks(res.text, res.url, pattern);
      // An index page that publishes its listings as JSON-LD (an ItemList, a @graph of offers) carries
      // them whole: each comes with its item under its own URL, and no detail page is fetched for it.
      const onPage = this.itemsOnPage?.(ctx, res.text, res.url) ?? [];
      if (onPage.length > 1) {
        const carried = new Set(onPage.map((i) => i.source_url));
        const rest = urls.filter((u) => !carried.has(u) && !carried.has(publicUrl(site, u)));
        return {
          listings: [...onPage.map((item) => ({ url: item.source_url, item })), ...rest.map((url) => ({ url }))],
          hasMore: true,
        };
      }
      hasMore = urls.length > 0;
    }
    return { listings: urls.map((url) => ({ url })), hasMore };
  },

  itemsOnPage(ctx, html, url): IngestItem[] {
    const site = siteSettings(ctx);
    const fetched = new URL(url);
    return schemaOrgItems(html, {
      source: site.source,
      url: publicUrl(site, url),
      country: site.country,
      currency: site.currency,
      listingType: site.listingType,
      sourceListingId: fetched.pathname,
    });
  },

  async scrape(ctx, url): Promise<IngestItem> {
    const res = await ctx.fetcher.get(url);
    const [item] = this.itemsOnPage?.(ctx, res.text, res.url) ?? [];
    if (!item) {
      // A broken JSON-LD block is a parse error with its offset, not a changed layout.
      const broken: EmbeddedJsonError[] = [];
      jsonLdNodes(res.text, broken);
      if (broken[0]) throw parseError(res.url, broken[0].message);
    }
    if (!item) throw layoutChanged(res.url, "schema.org listing (JSON-LD RealEstateListing, Offer.itemOffered or Residence)");
    return item;
  },

  async enrich(ctx, request) {
    const site = siteSettings(ctx);
    if (request.source !== site.source && !ownsUrl(this, request.source_url, ctx.baseUrl)) return { kind: "not_mine" };
    try {
      return { kind: "item", item: await this.scrape(ctx, request.source_url) };
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404 || status === 410) return { kind: "gone" };
      throw err;
    }
  },
};
