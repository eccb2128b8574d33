/**
 * The search map draws the whole result set from the API's vector tiles: clusters whose counts add up
 * to the list's total when zoomed out, price pins when zoomed in, and a pin opens its card or page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, openPage, requireApi, screenshot, seed } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      document.getElementById("cards")?.getAttribute("aria-busy") === "false" &&
      !document.getElementById("results-title")?.textContent?.includes("Searching") &&
      document.getElementById("map")?.dataset.tiles !== undefined,
    null,
    { timeout: 20_000 },
  );
  // Labels follow the last render after the tiles arrived.
  await page.waitForTimeout(300);
}

/** What the map shows: the sum of its clusters' counts plus its pins, and the pins' texts. */
async function drawn(page: Page): Promise<{ total: number; clusters: number; pins: string[] }> {
  return page.evaluate(() => {
    const clusters = [...document.querySelectorAll(".map-label.cluster b")].map((b) => Number(b.textContent?.replace(/\D/g, "")));
    const pins = [...document.querySelectorAll(".map-label.pin")].map((p) => p.textContent ?? "");
    return { total: clusters.reduce((s, n) => s + n, 0) + pins.length, clusters: clusters.length, pins };
  });
}

const totalOf = async (page: Page) => Number((await page.textContent("#results-title"))?.replace(/\D/g, ""));

describe.each([
  { name: "desktop", viewport: { width: 1280, height: 800 } },
  { name: "mobile", viewport: { width: 360, height: 740 } },
])("search map from vector tiles ($name)", ({ name, viewport }) => {
  it("draws every match, not only the loaded page: counts add up to the total; pins show prices and open the property", async (ctx) => {
    await requireApi(ctx, "GET /api/v1/properties", "GET /api/v1/tiles/{z}/{x}/{y}.mvt");
    const { west, east } = seed();
    // Both neighbourhoods, sold ones included: more matches than one page of cards.
    const area = [west[0], west[1], east[2], east[3]].join(",");
    const { page, errors, context } = await openPage(browser, `/?city=${seed().city}&status=active,sold&bbox=${area}`, viewport);
    await settled(page);
    const total = await totalOf(page);
    expect(total).toBeGreaterThan(await page.locator(".card").count());
    const zoomedOut = await drawn(page);
    expect(zoomedOut.clusters).toBeGreaterThan(0);
    expect(zoomedOut.total).toBe(total);
    await screenshot(page, `map-tiles-clusters-${name}`);

    // A filter applies to the map too: houses only.
    const houses = `/?city=${seed().city}&status=active,sold&bbox=${area}&property_type=house`;
    await page.goto(houses);
    await settled(page);
    expect((await drawn(page)).total).toBe(await totalOf(page));

    // Zoomed in on the western neighbourhood: one pin per property, with its price.
    await page.goto(`/?city=${seed().city}&status=active,sold&bbox=${west.join(",")}`);
    await settled(page);
    await page.focus("#map canvas");
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press("Equal");
      await page.waitForTimeout(500);
    }
    await page.waitForFunction(() => document.querySelectorAll(".map-label.pin").length > 0, null, { timeout: 15_000 });
    const pins = (await drawn(page)).pins;
    expect(pins.every((t) => /^\$[\d.,]+[KM]?$/.test(t))).toBe(true);
    await screenshot(page, `map-tiles-pins-${name}`);

    // Clicking a pin: its card when it is loaded, else its page.
    // The pin nearest the map's centre whose dot (9 px below its label) is not under the map's buttons.
    const target = await page.evaluate(() => {
      const m = document.getElementById("map")!.getBoundingClientRect();
      const at = (el: Element) => {
        const r = el.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.bottom + 9 };
      };
      const dist = (p: { x: number; y: number }) => Math.hypot(p.x - (m.x + m.width / 2), p.y - (m.y + m.height / 2));
      const clear = (p: { x: number; y: number }) => document.elementFromPoint(p.x, p.y)?.closest("#map canvas") != null;
      return [...document.querySelectorAll(".map-label.pin")]
        .map(at)
        .filter(clear)
        .sort((a, b) => dist(a) - dist(b))[0]!;
    });
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction(
      () => location.pathname.startsWith("/property/") || document.querySelector(".card.active") !== null,
      null,
      { timeout: 10_000 },
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});
