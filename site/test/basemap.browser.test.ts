/**
 * The offline basemap: with every request off the site's own origin refused (no network), the search
 * map loads and names places from the carried gazetteer (Seattle around the seeded city).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, origin, screenshot, seed, serverUp } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("offline basemap", () => {
  for (const [size, viewport] of [
    ["1280", { width: 1280, height: 800 }],
    ["360", { width: 360, height: 740 }],
  ] as const) {
    it(`draws land and gazetteer place names with no network (${size} px)`, async () => {
      await serverUp();
      const context = await browser.newContext({ viewport, baseURL: origin() });
      const offsite: string[] = [];
      await context.route("**/*", (route) => {
        const url = new URL(route.request().url());
        if (url.origin === origin() || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
        offsite.push(url.href);
        return route.abort("internetdisconnected");
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`/?city=${seed().city}`);
      await page.waitForSelector("#map[data-ready][data-basemap=offline]", { timeout: 20_000 });
      const places = (await (await fetch(`${origin()}/basemap/places.json`)).json()) as {
        features: Array<{ properties: { name: string } }>;
      };
      expect(places.features.length).toBeGreaterThan(1000);
      expect(places.features.map((f) => f.properties.name)).toContain("Seattle");
      await expect.poll(() => page.locator(".place-labels .place-label").count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await page.locator(".place-labels").textContent()).toContain("Seattle");
      // Labels never overlap each other.
      const boxes = await page.$$eval(".place-label", (els) => els.map((e) => e.getBoundingClientRect().toJSON()));
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
          expect(overlap, `${i} and ${j}`).toBe(false);
        }
      await screenshot(page, `basemap-offline-${size}`);
      expect(offsite).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
