import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, openPage, origin, screenshot } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("docs", () => {
  it("built-in search finds “radius”", async () => {
    const { page, context } = await openPage(browser, "/docs/");
    await page.click("site-search button[data-open-modal]");
    await page.fill(".pagefind-ui__search-input", "radius");
    const first = page.locator(".pagefind-ui__result-link").first();
    await first.waitFor({ timeout: 15_000 });
    const results = await page.locator(".pagefind-ui__result-link").allTextContents();
    expect(results.length).toBeGreaterThan(0);
    const hrefs = await page
      .locator(".pagefind-ui__result-link")
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(hrefs.some((h) => h.startsWith("/docs/"))).toBe(true);
    await screenshot(page, "docs-search-radius");
    await context.close();
  });

  it("the API reference renders every operation of the live OpenAPI document and can send a request", async () => {
    const spec = (await (await fetch(`${origin()}/api/v1/openapi.json`)).json()) as { paths: Record<string, object> };
    const operations = Object.values(spec.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    const { page, errors, context } = await openPage(browser, "/docs/api-reference/");
    await page.waitForSelector(".ex-op");
    expect(await page.locator(".ex-op").count()).toBe(operations);
    const health = page.locator('.ex-op:has(.ex-path:text-is("/api/v1/health"))');
    await health.locator("summary").first().click();
    await health.locator(".ex-send").click();
    await expect.poll(() => health.locator("[data-out]").textContent()).toContain("→ 200");
    await screenshot(page, "docs-api-reference");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("links", () => {
  it("every internal link on the site and docs resolves", async () => {
    const start = ["/", "/market/", "/about/", "/docs/", "/docs/api-reference/"];
    const seen = new Set<string>();
    const queue = [...start];
    const broken: string[] = [];
    while (queue.length && seen.size < 800) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await fetch(`${origin()}${path}`, { redirect: "follow" });
      if (res.status !== 200) {
        broken.push(`${path} → ${res.status}`);
        continue;
      }
      if (!(res.headers.get("content-type") ?? "").includes("text/html")) continue;
      const html = await res.text();
      for (const m of html.matchAll(/\s(?:href|src)="([^"#?]*)[^"]*"/g)) {
        const raw = m[1]!;
        if (!raw || /^(?:[a-z]+:)?\/\//i.test(raw) || /^(mailto|tel|data|javascript):/i.test(raw)) continue;
        const url = new URL(raw, `${origin()}${path}`);
        if (url.origin === origin() && !seen.has(url.pathname)) queue.push(url.pathname);
      }
    }
    expect(broken).toEqual([]);
    expect(seen.size).toBeGreaterThan(15);
    // …and a link to nowhere gets the site's own 404 page.
    const missing = await fetch(`${origin()}/no-such-page/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("Page not found");
  });
});
