import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, openPage, screenshot, seed } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const PHONE = { width: 360, height: 740 };

describe("360 px wide viewport", () => {
  const pages = () => [
    ["search", `/?city=${seed().city}`],
    ["market", "/market/"],
    ["property", `/property/${seed().historyPropertyId}`],
    ["about", "/about/"],
    ["docs", "/docs/data-model/"],
    ["api-reference", "/docs/api-reference/"],
  ];

  it("has no horizontal scroll on any page", async () => {
    const overflowing: string[] = [];
    for (const [name, path] of pages()) {
      const { page, context } = await openPage(browser, path!, PHONE);
      // Not "networkidle": the search page keeps its live-update stream open.
      await page.waitForLoadState("load");
      await page.waitForTimeout(1_500);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > PHONE.width) overflowing.push(`${path}: ${width}px`);
      await screenshot(page, `360px-${name}`);
      await context.close();
    }
    expect(overflowing).toEqual([]);
  });

  it("every form control on the search page has a label", async () => {
    const { page, context } = await openPage(browser, "/", PHONE);
    const unlabelled = await page.$$eval("input, select, textarea", (els) =>
      els
        .filter((el) => (el as HTMLInputElement).type !== "hidden")
        .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute("aria-label"))
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    await context.close();
  });
});
