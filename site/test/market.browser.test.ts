import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, openPage, requireApi, screenshot, seed } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("market page", () => {
  it("draws its charts for a filter set", async (ctx) => {
    await requireApi(ctx, "GET /api/v1/stats");
    const { page, errors, context } = await openPage(browser, `/market/?city=${seed().city}`);
    for (const id of ["chart-month", "chart-area", "chart-type", "chart-flow"]) {
      await page.waitForSelector(`#${id}[data-drawn]`);
      expect(Number(await page.getAttribute(`#${id}`, "data-drawn")), id).toBeGreaterThan(0);
    }
    expect(await page.textContent("#kpis")).toContain("42");
    await screenshot(page, "market-page", true);

    // Another filter set redraws from the API: only townhouses.
    await page.selectOption("#m-property_type", "townhouse");
    await page.waitForURL(/property_type=townhouse/);
    await expect.poll(() => page.textContent("#kpis")).toContain("14");
    expect(errors).toEqual([]);
    await context.close();
  });
});
