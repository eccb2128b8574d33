/**
 * GET /property/{id}: the property page. The page itself is the static shell built by Astro
 * (`site/src/pages/property/index.astro`, served from ASSETS); the Worker writes the property's title,
 * description, preview image and canonical URL into its head so shared links unfurl (link previews do
 * not run JavaScript). The shell's script renders the rest from the API. An unknown id answers 404 with
 * the same shell, which then shows its "not found" message.
 */
import type { Context } from "hono";
import { toMajor } from "../../../../connectors/contract/money/minor-units";
import type { HonoEnv } from "../../env";
import { newRouter } from "../../pkg/hono/app";
import { log } from "../../pkg/log";
import { loadShareFacts } from "../../pkg/properties/load";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ShareMeta = { title: string; description: string; image: string | null };

export async function loadShareMeta(c: Context<HonoEnv>, id: string): Promise<ShareMeta | null> {
  const r = await loadShareFacts(c.env, id);
  if (!r) return null;
  const price =
    r.price_minor == null
      ? null
      : new Intl.NumberFormat("en", { style: "currency", currency: String(r.currency), maximumFractionDigits: 0 }).format(
          toMajor(r.price_minor, r.currency) as number,
        );
  const where = r.address_full ?? r.city ?? "";
  const facts = [
    price,
    r.bedrooms != null ? `${r.bedrooms} bedrooms` : null,
    r.bathrooms != null ? `${r.bathrooms} bathrooms` : null,
    r.area_living_sqm != null ? `${Math.round(Number(r.area_living_sqm))} m²` : null,
    String(r.property_type).replace(/_/g, " "),
    String(r.status).replace(/_/g, " "),
  ].filter(Boolean);
  return {
    title: `${r.title || where || "Property"}${price ? ` · ${price}` : ""} · Pillow`,
    description: `${facts.join(" · ")}${where ? ` — ${where}` : ""}`,
    image: r.thumbnail_url ?? null,
  };
}

function withMeta(shell: Response, meta: ShareMeta, url: string, status: number): Response {
  const set = (content: string) => ({ element: (el: Element) => void el.setAttribute("content", content) });
  let rewriter = new HTMLRewriter()
    .on("title", { element: (el) => void el.setInnerContent(meta.title) })
    .on('meta[name="description"]', set(meta.description))
    .on('meta[property="og:title"]', set(meta.title))
    .on('meta[property="og:description"]', set(meta.description))
    .on('meta[property="og:type"]', set("article"))
    .on("head", {
      element: (el) => {
        const extra = [
          `<link rel="canonical" href="${escapeAttr(url)}">`,
          `<meta property="og:url" content="${escapeAttr(url)}">`,
          meta.image ? `<meta property="og:image" content="${escapeAttr(meta.image)}">` : "",
        ].join("");
        el.append(extra, { html: true });
      },
    });
  if (meta.image) rewriter = rewriter.on('meta[name="twitter:card"]', set("summary_large_image"));
  const headers = new Headers(shell.headers);
  headers.set("cache-control", "public, max-age=60");
  return rewriter.transform(new Response(shell.body, { status, headers }));
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/** The site pages the Worker renders itself (not part of the API). */
export function sitePageRoutes() {
  const app = newRouter();
  const handler = async (c: Context<HonoEnv>) => {
    const assets = c.env.ASSETS;
    if (!assets) return c.text("The site is not built (run npm run build:site).", 503);
    const shell = await assets.fetch(new URL("/property/", c.req.url));
    if (!shell.ok) return c.text("The site is not built (run npm run build:site).", 503);
    const id = c.req.param("id") ?? "";
    if (!UUID.test(id)) return new Response(shell.body, { status: 404, headers: shell.headers });
    let meta: ShareMeta | null;
    try {
      meta = await loadShareMeta(c, id);
    } catch (err) {
      // The page still works (its script shows the API's answer); only the share metadata is missing.
      log(c, "warn", { msg: "property page metadata unavailable", error: (err as Error).message });
      return new Response(shell.body, { status: 200, headers: shell.headers });
    }
    if (!meta) return new Response(shell.body, { status: 404, headers: shell.headers });
    const url = new URL(`/property/${id}`, c.req.url).toString();
    return withMeta(shell, meta, url, 200);
  };
  app.get("/property/:id", handler);
  app.get("/property/:id/", handler);
  return app;
}
