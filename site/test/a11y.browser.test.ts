/**
 * Accessibility: axe-core (pinned) on the search, property, market and docs pages at 1280 and 360 px,
 * once each page has drawn its data (cards, charts, facts): 0 violations.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./axe";
import { launch, openPage, requireApi, screenshot, seed } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const VIEWPORTS = [
  { name: "1280", viewport: { width: 1280, height: 800 } },
  { name: "360", viewport: { width: 360, height: 740 } },
];

const PAGES: Array<{ name: string; path: () => string; ready: (page: Page) => Promise<void> }> = [
  {
    name: "search",
    path: () => `/?city=${seed().city}`,
    ready: async (page) => {
      await page.waitForSelector("#cards[aria-busy=false] .card[data-id]", { timeout: 20_000 });
    },
  },
  {
    name: "search-empty",
    path: () => `/?city=${seed().city}&min_price=90000000`,
    ready: async (page) => {
      await page.waitForSelector(".empty-why[data-state=done]", { timeout: 20_000 });
    },
  },
  {
    name: "property",
    path: () => `/property/${seed().historyPropertyId}`,
    ready: async (page) => {
      await page.locator("#prop-body:not([hidden])").waitFor({ timeout: 20_000 });
      await page.waitForSelector("#history-chart[data-points]");
    },
  },
  {
    name: "market",
    path: () => "/market/",
    ready: async (page) => {
      await page.waitForSelector("#chart-type[data-drawn]", { timeout: 20_000 });
    },
  },
  { name: "docs", path: () => "/docs/", ready: async (page) => void (await page.waitForLoadState("load")) },
  {
    name: "docs-api-reference",
    path: () => "/docs/api-reference/",
    ready: async (page) => void (await page.waitForSelector(".ex-op", { timeout: 20_000 })),
  },
];

describe("axe: 0 violations", () => {
  for (const { name: size, viewport } of VIEWPORTS) {
    for (const p of PAGES) {
      it(`${p.name} at ${size} px`, async (ctx) => {
        await requireApi(ctx, "GET /api/v1/properties", "GET /api/v1/stats");
        const { page, context } = await openPage(browser, p.path(), viewport);
        await p.ready(page);
        const violations = await axeViolations(page);
        await screenshot(page, `axe-${p.name}-${size}`);
        expect(violations, `${p.name} at ${size} px`).toEqual([]);
        await context.close();
      });
    }
  }
});
