/**
 * The connectors' test web site (Node side, started by the global setup). It serves the real saved pages
 * from ../shared/fixtures (read at request time: captures never enter the repository), the shared
 * datasets, and the misbehaviours a polite crawler must survive: robots.txt variants, 429 with
 * Retry-After, 5xx, slow, oversized and malformed responses. Every request is logged so tests can check
 * what was (and was not) fetched, and when.
 *
 * Several listeners share one handler; they differ only in their robots.txt:
 *   main: disallows /private/ · robots404: robots.txt 404 · robots500: robots.txt 500 ·
 *   robotsBlockPillow: disallows everything for PillowBot.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";

export const SHARED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared");

export type FixtureServer = {
  /** Base URLs per listener. */
  urls: { main: string; robots404: string; robots500: string; robotsBlockPillow: string };
  /** Whether ../shared/fixtures and ../shared/datasets exist on this machine. */
  available: boolean;
  close: () => Promise<void>;
};

type Variant = keyof FixtureServer["urls"];
type LogEntry = { listener: Variant; path: string; at: number; ua: string };

const ROBOTS: Record<Variant, { status: number; body: string }> = {
  main: { status: 200, body: "User-agent: *\nDisallow: /private/\nAllow: /\n" },
  robots404: { status: 404, body: "not found" },
  robots500: { status: 500, body: "oops" },
  robotsBlockPillow: { status: 200, body: "User-agent: PillowBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n" },
};

/** Site paths → saved pages (relative to ../shared/fixtures). */
const PAGES: Record<string, string> = {
  "/rightmove/property-to-rent/London-87490.html": "uk/rightmove__rent_search_london__2024.html",
  "/rightmove/property-to-rent/Archway.html": "uk/rightmove__rent_search_archway__2024.html",
  "/rightmove/properties/145459589": "uk/rightmove__listing_145459589_rent__2024.html",
  "/rea/sold/in-australia/list-1": "au/realestate_com_au__sold_search__2026.html",
  "/rea/buy/in-nsw/list-1": "au/realestate_com_au__buy_search_nsw_p1__2017.html",
  "/domain/property-profile/7-bilpin-street-greystanes-nsw-2145": "au/domain_com_au__property_profile_7_bilpin_st__2017.html",
  "/domain/property-profile/3-bilpin-street-greystanes-nsw-2145": "au/domain_com_au__property_profile_3_bilpin_st__2017.html",
};

const HOMES_PAGE_SIZE = 25;

function send(res: ServerResponse, status: number, body: string | Buffer, type = "text/html; charset=utf-8", headers = {}) {
  res.writeHead(status, { "content-type": type, ...headers });
  res.end(body);
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const available = existsSync(join(SHARED_DIR, "fixtures")) && existsSync(join(SHARED_DIR, "datasets"));
  const log: LogEntry[] = [];
  const counters = new Map<string, number>();
  const fixture = (rel: string) => readFileSync(join(SHARED_DIR, "fixtures", rel));
  let homesCache: Record<string, string>[] | null = null;
  const homesRecords = () => {
    homesCache ??= parse(readFileSync(join(SHARED_DIR, "datasets", "nz_wellington_homes_2023.csv")), { columns: true }) as Record<
      string,
      string
    >[];
    return homesCache;
  };

  const handler = (variant: Variant) => async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://fixture");
    const path = url.pathname;
    if (path !== "/__log")
      log.push({ listener: variant, path: path + url.search, at: Date.now(), ua: String(req.headers["user-agent"] ?? "") });
    const hit = (key: string) => {
      const n = (counters.get(key) ?? 0) + 1;
      counters.set(key, n);
      return n;
    };
    try {
      if (path === "/__log") {
        const contains = url.searchParams.get("contains") ?? "";
        return send(res, 200, JSON.stringify(log.filter((e) => e.path.includes(contains))), "application/json");
      }
      if (path === "/robots.txt") {
        const r = ROBOTS[variant];
        return send(res, r.status, r.body, "text/plain");
      }
      // Raw files for parser tests: /raw/fixtures/<rel> and /raw/datasets/<file>.
      if (path.startsWith("/raw/")) {
        const rel = normalize(decodeURIComponent(path.slice(5)));
        if (rel.startsWith("..") || !/^(fixtures|datasets)\//.test(rel)) return send(res, 403, "forbidden", "text/plain");
        const file = join(SHARED_DIR, rel);
        if (!existsSync(file)) return send(res, 404, "missing", "text/plain");
        return send(res, 200, readFileSync(file), rel.endsWith(".json") ? "application/json" : "text/plain; charset=utf-8");
      }
      const page = PAGES[path];
      if (page) return send(res, 200, fixture(page));
      if (path === "/domain/sold-listings/burleigh-heads-qld-4220/") {
        // The capture holds only the page's __NEXT_DATA__ JSON: wrap it as Next.js does.
        const json = fixture("au/domain_com_au__sold_search_burleigh_heads__2026.next_data.json").toString("utf8");
        return send(
          res,
          200,
          `<!DOCTYPE html><html><head><title>Sold</title></head><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">${json}</script></body></html>`,
        );
      }
      if (path === "/homes/api/search") {
        const p = Number(url.searchParams.get("page") ?? "1");
        const cards = homesRecords().slice((p - 1) * HOMES_PAGE_SIZE, p * HOMES_PAGE_SIZE);
        return send(res, 200, JSON.stringify({ cards }), "application/json");
      }
      const sitemap = /^\/jsonld\/([\w-]+)\/sitemap\.xml$/.exec(path);
      if (sitemap) {
        const base = `http://${req.headers.host}/jsonld/${sitemap[1]}`;
        const urls = [1, 2, 3].map((i) => `<url><loc>${base}/listing/${i}</loc></url>`).join("");
        return send(
          res,
          200,
          `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${base}/about</loc></url>${urls}</urlset>`,
          "application/xml",
        );
      }
      // A small schema.org site (synthetic pages built here, not captures) with one malformed listing.
      const jsonld = /^\/jsonld\/([\w-]+)\/(index|listing)\/?(\d+)?$/.exec(path);
      if (jsonld) {
        const [, token, kind, n] = jsonld;
        if (kind === "index") {
          const links = [1, 2, 3].map((i) => `<a href="/jsonld/${token}/listing/${i}">Listing ${i}</a>`).join("");
          return send(
            res,
            200,
            `<html><body>${links}<a href="/about">About</a><a href="/private/${token}/listing/9">hidden</a></body></html>`,
          );
        }
        if (n === "2")
          return send(
            res,
            200,
            `<html><head><script type="application/ld+json">{"@type": "RealEstateListing", "name": </script></head><body>`,
          );
        const ld = {
          "@context": "https://schema.org",
          "@type": "RealEstateListing",
          name: `Test listing ${n}`,
          datePosted: "2026-11-01",
          offers: {
            "@type": "Offer",
            price: 350000 + Number(n),
            priceCurrency: "EUR",
            businessFunction: "http://purl.org/goodrelations/v1#Sell",
          },
          mainEntity: {
            "@type": "Apartment",
            numberOfBedrooms: 2,
            numberOfBathroomsTotal: 1,
            floorSize: { "@type": "QuantitativeValue", value: 85, unitCode: "MTK" },
            address: {
              "@type": "PostalAddress",
              streetAddress: `${n} Triq ${token}`,
              addressLocality: "Sliema",
              postalCode: "SLM 1000",
              addressCountry: "MT",
            },
            geo: { "@type": "GeoCoordinates", latitude: 35.912, longitude: 14.502 },
          },
        };
        return send(
          res,
          200,
          `<html><head><script type="application/ld+json">${JSON.stringify(ld)}</script></head><body></body></html>`,
        );
      }
      if (path.startsWith("/private/")) return send(res, 200, "<html>should never be fetched</html>");
      const slow = /^\/slow\/(\d+)\//.exec(path);
      if (slow) {
        await new Promise((r) => setTimeout(r, Number(slow[1])));
        return send(res, 200, "<html>slow</html>");
      }
      const flaky = /^\/flaky\/([\w-]+)\/(429|503)\/(\d+)$/.exec(path);
      if (flaky) {
        const [, , code, failures] = flaky;
        if (hit(path) <= Number(failures)) {
          return send(res, Number(code), "try later", "text/plain", code === "429" ? { "retry-after": "1" } : {});
        }
        return send(res, 200, "<html>recovered</html>");
      }
      if (path.startsWith("/always503/")) return send(res, 503, "down", "text/plain");
      if (path.startsWith("/huge/")) return send(res, 200, Buffer.alloc(3 * 1024 * 1024, 97), "text/html");
      if (path.startsWith("/redirect-to-private/")) {
        res.writeHead(302, { location: "http://10.0.0.1/internal" });
        return res.end();
      }
      return send(res, 404, "not found", "text/plain");
    } catch (err) {
      return send(res, 500, String(err), "text/plain");
    }
  };

  const servers: Server[] = [];
  const urls = {} as FixtureServer["urls"];
  for (const variant of Object.keys(ROBOTS) as Variant[]) {
    const server = createServer((req, res) => void handler(variant)(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    urls[variant] = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    servers.push(server);
  }
  return {
    urls,
    available,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.close(() => r());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
