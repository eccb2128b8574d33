import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, openPage, origin, requireApi, screenshot, seed } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("property page", () => {
  it("opened from the search results, shows facts and the price history chart", async (ctx) => {
    await requireApi(ctx, "GET /api/v1/properties", "GET /api/v1/properties/{id}");
    const id = seed().historyPropertyId;
    const { page, errors, context } = await openPage(browser, `/?city=${seed().city}&sort=price`);
    await page.locator(`.card[data-id="${id}"] a`).click();
    await page.waitForURL(`**/property/${id}`);
    await page.locator("#prop-body:not([hidden])").waitFor();
    expect(await page.textContent("#prop-price")).toBe("$655,000");
    // listed 720k → 689k → 655k, then today: the chart has every price point.
    await expect.poll(() => page.getAttribute("#history-chart", "data-points")).not.toBeNull();
    expect(Number(await page.getAttribute("#history-chart", "data-points"))).toBeGreaterThanOrEqual(3);
    const painted = await page.$eval("#history-chart", (c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(500);
    expect(await page.locator("#history-table tbody tr").count()).toBe(4);
    await page.locator("#nearby a").first().waitFor();
    await screenshot(page, "property-page", true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("carries share metadata in the HTML and shows a friendly message for unknown ids", async (ctx) => {
    await requireApi(ctx, "GET /api/v1/properties/{id}");
    const html = await (await fetch(`${origin()}/property/${seed().historyPropertyId}`)).text();
    expect(html).toMatch(/<meta property="og:title" content="[^"]*\$655,000/);
    const missing = await fetch(`${origin()}/property/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    const { page, context } = await openPage(browser, `/property/${crypto.randomUUID()}`);
    await page.locator("#prop-message .notice").waitFor();
    expect(await page.textContent("#prop-message")).toContain("Not found");
    await context.close();
  });
});
