import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, openPage, requireApi, screenshot, seed } from "./browser";
import { ingest } from "./ingest";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const labelsOf = async (page: Page, id: string) =>
  JSON.parse((await page.getAttribute(`#${id}`, "data-labels")) ?? "[]") as string[];

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

  describe("one market at a time", () => {
    // A small British market of past sales: pounds, 2022, no living areas, listed on the day they sold.
    beforeAll(async () => {
      const sales = [
        ["2022-02-11", 175000, "house"],
        ["2022-03-18", 185000, "apartment"],
        ["2022-03-25", 240000, "house"],
      ] as const;
      for (const [i, [day, price, type]] of sales.entries()) {
        await ingest({
          source_listing_id: `gb-market-${i}`,
          property_type: type,
          status: "sold",
          title: `Sale ${i} in Marketford`,
          price,
          currency: "GBP",
          sold_at: `${day}T00:00:00Z`,
          listed_at: `${day}T00:00:00Z`,
          address: { street: `${10 + i} Market Row`, city: "Marketford", postal_code: "NE1 4XF", country: "GB" },
        });
      }
    });

    for (const [size, viewport] of [
      ["1280", { width: 1280, height: 800 }],
      ["360", { width: 360, height: 740 }],
    ] as const) {
      it(`defaults to the largest market, never mixes currencies, and says why a chart is empty (${size} px)`, async (ctx) => {
        await requireApi(ctx, "GET /api/v1/stats");
        const { page, errors, context } = await openPage(browser, "/market/", viewport);
        await page.waitForSelector("#chart-type[data-drawn]");
        // The markets, largest first: the seeded US city is larger than the British sales.
        const options = await page.$$eval("#m-market option", (os) => os.map((o) => (o as HTMLOptionElement).value));
        expect(options[0]).toBe("US:USD");
        expect(options).toContain("GB:GBP");
        expect(await page.inputValue("#m-market")).toBe("US:USD");
        expect(await page.textContent("#kpis")).toContain("$");
        expect(await page.textContent("#kpis")).not.toContain("£");
        // Inventory by type: each type of the shared vocabulary once.
        const types = await labelsOf(page, "chart-type");
        expect(types.length).toBeGreaterThan(0);
        expect(new Set(types).size).toBe(types.length);
        await screenshot(page, `market-default-${size}`, true);

        await page.selectOption("#m-market", "GB:GBP");
        await page.waitForURL(/market=GB%3AGBP/);
        await expect.poll(() => page.textContent("#kpis")).toContain("£");
        expect(await page.textContent("#kpis")).not.toContain("$");
        await page.waitForSelector("#chart-month[data-drawn]");
        // Only the pound months: the series never reaches into another currency's years.
        // (Other tests may add a pound listing of today's month: the seeded dollar sales are of 2014–2015.)
        const months = await labelsOf(page, "chart-month");
        expect(months).toEqual(expect.arrayContaining(["2022-02", "2022-03"]));
        expect(months.filter((month) => month < "2022")).toEqual([]);
        expect(await labelsOf(page, "chart-type")).toEqual(["house", "apartment"]);
        // No living areas: the per-m² chart says so instead of drawing empty axes.
        expect(await page.isVisible("#chart-area-empty")).toBe(true);
        expect(await page.textContent("#chart-area-empty")).toContain("living area");
        expect(await page.isVisible("#chart-area")).toBe(false);
        await screenshot(page, `market-gbp-${size}`, true);

        // The market is in the URL: a reload keeps it.
        await page.reload();
        await expect.poll(() => page.inputValue("#m-market")).toBe("GB:GBP");

        // Sales reported on their listing day have no time on the market: not 0. (Scoped to this test's
        // town: another test's active pound listing of today rightly has 0 days.)
        await page.goto("/market/?market=GB%3AGBP&city=Marketford");
        await page.waitForSelector("#chart-type[data-drawn]");
        await expect.poll(() => page.textContent("#kpis")).toContain("no listing dates before sales");
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  });
});
