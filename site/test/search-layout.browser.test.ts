/**
 * The search page's layout and its explanations, at 1280×800 and 360×740: results above the fold,
 * the Sort select never cut, compact cards on phones, an empty result that names the filter that
 * emptied it, a hint when City and the map area disagree, and placeholders for missing or broken photos.
 */
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch, openPage, requireApi, screenshot, seed } from "./browser";
import { ingest } from "./ingest";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function cityCount(city: string): Promise<number> {
  const client = new pg.Client(inject("siteDatabaseUrl"));
  await client.connect();
  try {
    return (await client.query("SELECT count(*)::int AS n FROM properties WHERE city = $1", [city])).rows[0].n;
  } finally {
    await client.end();
  }
}

const SIZES = [
  ["1280", { width: 1280, height: 800 }],
  ["360", { width: 360, height: 740 }],
] as const;

async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      document.getElementById("cards")?.getAttribute("aria-busy") === "false" &&
      !document.getElementById("results-title")?.textContent?.includes("Searching"),
    null,
    { timeout: 20_000 },
  );
}

describe("search page layout", () => {
  for (const [size, viewport] of SIZES) {
    it(`shows results above the fold, with compact filters and an uncut Sort (${size} px)`, async (ctx) => {
      await requireApi(ctx, "GET /api/v1/properties");
      const { page, errors, context } = await openPage(browser, `/?city=${seed().city}`, viewport);
      await settled(page);
      const first = (await page.locator(".card[data-id]").first().boundingBox())!;
      // The first card's price line is on screen without scrolling.
      expect(first.y + 40).toBeLessThan(viewport.height);
      const filters = (await page.locator(".filters").boundingBox())!;
      expect(filters.height).toBeLessThan(size === "1280" ? 110 : 150);
      if (size === "360") expect(first.height).toBeLessThan(170);
      await screenshot(page, `search-fold-${size}`);

      // Every sort option fits its select: the text is as wide as the select's content box at most.
      const cut = await page.evaluate(() => {
        // Through `unknown`: the tests' type project also holds the Workers runtime's own `Element` type.
        const select = document.getElementById("f-sort") as unknown as HTMLSelectElement;
        const style = getComputedStyle(select as unknown as Parameters<typeof getComputedStyle>[0]);
        const ctx2d = document.createElement("canvas").getContext("2d")!;
        ctx2d.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const before = select.value;
        const out: string[] = [];
        for (const o of Array.from(select.options)) {
          select.value = o.value;
          const room = select.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
          const need = ctx2d.measureText(o.text).width;
          if (need > room + 0.5) out.push(`${o.text}: ${need.toFixed(0)} > ${room.toFixed(0)}`);
        }
        select.value = before;
        return out;
      });
      expect(cut).toEqual([]);

      // "More filters" opens the rest of the form (on phones also price and beds), keyboard first.
      await page.focus("#more-toggle");
      await page.keyboard.press("Enter");
      expect(await page.getAttribute("#more-toggle", "aria-expanded")).toBe("true");
      expect(await page.isVisible("#f-min_land_area")).toBe(true);
      expect(await page.isVisible("#f-min_price")).toBe(true);
      await screenshot(page, `search-more-filters-${size}`);
      expect(errors).toEqual([]);
      await context.close();
    });

    it(`says which filter emptied the result and offers to lift it (${size} px)`, async (ctx) => {
      await requireApi(ctx, "GET /api/v1/properties");
      // Status "pending": the seeded city has only active and sold listings; the API's hint says so.
      const { page, errors, context } = await openPage(browser, `/?city=${seed().city}&status=pending`, viewport);
      await page.waitForSelector(".empty-why[data-state=done]", { timeout: 20_000 });
      const text = await page.textContent(".empty-why");
      expect(text).toContain("Status “pending” emptied it");
      const include = page.locator(".empty-why button", { hasText: "Include" }).first();
      expect(await include.textContent()).toMatch(/Include .*sold/);
      await screenshot(page, `search-empty-status-${size}`);
      await include.click();
      await page.waitForURL((u) => (u.searchParams.get("status") ?? "").includes("sold"));
      await settled(page);
      expect(await page.locator(".card[data-id]").count()).toBeGreaterThan(0);

      // A price above every listing: the price filter is named, and lifting it brings results back.
      await page.goto(`/?city=${seed().city}&min_price=90000000`);
      await page.waitForSelector(".empty-why[data-state=done]", { timeout: 20_000 });
      expect(await page.textContent(".empty-why")).toContain("Min price");
      await page.locator(".empty-why button", { hasText: "Remove Min price" }).click();
      await page.waitForURL((u) => !u.searchParams.has("min_price"));
      await settled(page);
      expect(await page.locator(".card[data-id]").count()).toBeGreaterThan(0);
      // Focus stays on the page's results heading, not on <body>.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("results-title");
      expect(errors).toEqual([]);
      await context.close();
    });

    it(`says when City and the map area disagree (${size} px)`, async (ctx) => {
      await requireApi(ctx, "GET /api/v1/properties");
      const { west, eastIds } = seed();
      const { page, errors, context } = await openPage(browser, `/?city=${seed().city}&bbox=${west.join(",")}`, viewport);
      await settled(page);
      await page.locator("#area-hint:not([hidden])").waitFor({ timeout: 20_000 });
      // The eastern neighbourhood of the same city lies outside the western map area.
      expect(await page.textContent("#area-hint")).toContain(
        `${eastIds.length} properties in “${seed().city}” lie outside the map area`,
      );
      await screenshot(page, `search-city-area-${size}`);
      await page.locator("#area-hint button", { hasText: "clear map area" }).click();
      await page.waitForURL((u) => !u.searchParams.has("bbox"));
      await settled(page);
      // Every property of the city (the seeded ones, and any another test ingested there).
      expect(await page.textContent("#results-title")).toContain(`${await cityCount(seed().city)} properties`);
      expect(await page.isHidden("#area-hint")).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});

describe("photos", () => {
  const city = "Photoville";
  beforeAll(async () => {
    // One photo that cannot load (`.example` names never resolve) and one listing with no photo at all.
    await ingest({
      source_listing_id: "photo-broken",
      status: "active",
      title: "House with a broken photo",
      price: 420000,
      currency: "USD",
      images: ["https://broken-photo.example/photos/front.jpg"],
      address: { street: "1 Photo Lane", city, state: "WA", postal_code: "98101", country: "US" },
    });
    await ingest({
      source_listing_id: "photo-none",
      status: "active",
      title: "House without photos",
      price: 410000,
      currency: "USD",
      address: { street: "2 Photo Lane", city, state: "WA", postal_code: "98101", country: "US" },
    });
  });

  for (const [size, viewport] of SIZES) {
    it(`shows a placeholder, never a broken image, for missing and failing photos (${size} px)`, async (ctx) => {
      await requireApi(ctx, "GET /api/v1/properties");
      const { page, context } = await openPage(browser, `/?city=${city}`, viewport);
      await settled(page);
      expect(await page.locator(".card[data-id]").count()).toBe(2);
      await page.waitForSelector(".card img[data-failed]", { state: "attached", timeout: 15_000 });
      const frames = await page.$$eval(".card .photo", (els) =>
        els.map((el) => {
          const img = el.querySelector("img");
          const svg = el.querySelector("svg")!;
          return {
            brokenVisible: img ? getComputedStyle(img).display !== "none" && !(img.complete && img.naturalWidth > 0) : false,
            placeholderVisible: getComputedStyle(svg).display !== "none",
          };
        }),
      );
      expect(frames).toEqual([
        { brokenVisible: false, placeholderVisible: true },
        { brokenVisible: false, placeholderVisible: true },
      ]);
      await screenshot(page, `search-photo-placeholders-${size}`);
      await context.close();
    });
  }
});

describe("live banner on a phone", () => {
  it("moves focus to the new listing's card after “Show”, not to <body> (360 px)", async (ctx) => {
    await requireApi(ctx, "GET /api/v1/properties", "POST /api/v1/properties");
    const { page, context } = await openPage(browser, `/?city=${seed().city}`, { width: 360, height: 740 });
    await settled(page);
    await page.waitForFunction(() => document.getElementById("live-state")?.textContent?.includes("Live"), null, {
      timeout: 10_000,
    });
    const id = await ingest({
      source_listing_id: "live-phone",
      status: "active",
      title: "Phone live test house",
      price: 515000,
      currency: "USD",
      address: { street: "9 Phone Street", city: seed().city, state: "WA", postal_code: "98101", country: "US" },
      location: { lat: 47.611, lng: -122.332 },
    });
    await page.locator("#live-banner:not([hidden])").waitFor({ timeout: 10_000 });
    await page.focus("#live-show");
    await page.keyboard.press("Enter");
    await page.locator(`.card[data-id="${id}"]`).waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.evaluate(() => (document.activeElement?.closest(".card") as HTMLElement | null)?.dataset.id ?? "none"))
      .toBe(id);
    await screenshot(page, "live-show-focus-360");
    await context.close();
  });
});
