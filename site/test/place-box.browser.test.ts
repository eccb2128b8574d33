/**
 * The place box (issue 22): typing finds places through GET /api/v1/places, the list is a WAI-ARIA
 * combobox driven by the keyboard, choosing a place filters the search by it and fits the map to it,
 * and "Near me" asks for the browser's position only when pressed.
 */
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch, openPage, origin, requireApi, screenshot, seed } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
  // The view behind the box is refreshed by a 10-minute cron; the seed was stored just now.
  const client = new pg.Client(inject("siteDatabaseUrl"));
  await client.connect();
  try {
    await client.query("REFRESH MATERIALIZED VIEW places");
  } finally {
    await client.end();
  }
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      document.getElementById("cards")?.getAttribute("aria-busy") === "false" &&
      !document.getElementById("results-title")?.textContent?.includes("Searching"),
    null,
    { timeout: 20_000 },
  );
}

const totalOf = async (page: Page) => Number((await page.textContent("#results-title"))?.replace(/\D/g, ""));

describe.each([
  { name: "desktop", viewport: { width: 1280, height: 800 } },
  { name: "mobile", viewport: { width: 360, height: 740 } },
])("place box ($name)", ({ name, viewport }) => {
  it("suggests places as you type, chosen with the keyboard: the search filters by the place and the map fits it", async (ctx) => {
    await requireApi(ctx, "GET /api/v1/places", "GET /api/v1/properties");
    const { city } = seed();
    const { page, errors, context } = await openPage(browser, "/", viewport);
    await settled(page);
    const input = page.locator("#place-input");
    await expect(input.getAttribute("role")).resolves.toBe("combobox");
    await expect(input.getAttribute("aria-expanded")).resolves.toBe("false");

    await input.focus();
    // Lower case and a letter missing: the box is case- and typo-tolerant.
    await page.keyboard.type(city.toLowerCase().slice(0, -1), { delay: 30 });
    await page.waitForSelector("#place-list li[role=option][data-index]", { timeout: 10_000 });
    await expect(input.getAttribute("aria-expanded")).resolves.toBe("true");
    const first = await page.textContent("#place-list li[data-index='0']");
    expect(first).toContain(`${city}, WA, US`);
    await page.keyboard.press("ArrowDown");
    await expect(input.getAttribute("aria-activedescendant")).resolves.toBe("place-option-0");
    await expect(page.getAttribute("#place-option-0", "aria-selected")).resolves.toBe("true");
    await screenshot(page, `place-box-suggestions-${name}`);

    await page.keyboard.press("Enter");
    await page.waitForFunction(() => new URLSearchParams(location.search).get("city") !== null, null, { timeout: 10_000 });
    await settled(page);
    const params = new URL(page.url()).searchParams;
    expect(params.get("city")).toBe(city);
    expect(params.get("state")).toBe("WA");
    expect(params.get("country")).toBe("US");
    expect(await input.inputValue()).toBe(`${city}, WA, US`);
    await expect(input.getAttribute("aria-expanded")).resolves.toBe("false");
    // The focus stays in the box; the list shows the place's properties.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("place-input");
    expect(await totalOf(page)).toBeGreaterThan(0);
    await screenshot(page, `place-box-chosen-${name}`);

    // Escape closes the list without choosing.
    await input.fill("");
    await page.keyboard.type("Seattle WA", { delay: 20 });
    await page.waitForSelector("#place-list:not([hidden]) li", { timeout: 10_000 });
    await page.keyboard.press("Escape");
    await expect(input.getAttribute("aria-expanded")).resolves.toBe("false");
    expect(new URL(page.url()).searchParams.get("city")).toBe(city);
    expect(errors).toEqual([]);
    await context.close();
  });

  // Geolocation calls are counted: nothing may ask for the position unless "Near me" is pressed.
  it("uses the position only when Near me is pressed", async (ctx) => {
    await requireApi(ctx, "GET /api/v1/properties");
    const context = await browser.newContext({ viewport, baseURL: origin() });
    await context.addInitScript(() => {
      const w = window as unknown as { geoCalls: number };
      w.geoCalls = 0;
      const real = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
      navigator.geolocation.getCurrentPosition = (...args: Parameters<Geolocation["getCurrentPosition"]>) => {
        w.geoCalls++;
        real(...args);
      };
    });
    await context.grantPermissions(["geolocation"]);
    const { west } = seed();
    await context.setGeolocation({ latitude: (west[1] + west[3]) / 2, longitude: (west[0] + west[2]) / 2 });
    const page = await context.newPage();
    await page.goto("/");
    await settled(page);
    expect(await page.evaluate(() => (window as unknown as { geoCalls: number }).geoCalls)).toBe(0);

    await page.focus("#near-me");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => new URLSearchParams(location.search).has("near"), null, { timeout: 10_000 });
    await settled(page);
    expect(await page.evaluate(() => (window as unknown as { geoCalls: number }).geoCalls)).toBe(1);
    const near = new URL(page.url()).searchParams.get("near")?.split(",").map(Number) ?? [];
    expect(near[0]).toBeCloseTo((west[1] + west[3]) / 2, 3);
    expect(new URL(page.url()).searchParams.get("radius_km")).toBe("5");
    expect(await totalOf(page)).toBeGreaterThan(0);
    await expect(page.textContent("#place-status")).resolves.toContain("near you");
    await screenshot(page, `place-box-near-me-${name}`);
    await context.close();
  });
});
