import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cardData, launch, openPage, origin, requireApi, screenshot, seed } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function resultsSettled(page: Page) {
  await page.waitForFunction(
    () => {
      const cards = document.getElementById("cards");
      return (
        cards?.getAttribute("aria-busy") === "false" &&
        !document.getElementById("results-title")?.textContent?.includes("Searching")
      );
    },
    null,
    { timeout: 20_000 },
  );
}

async function dbCount(where: string, params: unknown[]): Promise<number> {
  const client = new pg.Client(inject("siteDatabaseUrl"));
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM properties WHERE ${where}`, params);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

describe("search page", () => {
  it("filters by price and bedrooms: only matching cards, count and URL agree", async (ctx) => {
    await requireApi(ctx, "GET /api/v1/properties");
    const { page, errors, context } = await openPage(browser, `/?city=${seed().city}`);
    await resultsSettled(page);
    expect((await cardData(page)).length).toBeGreaterThan(0);

    await page.fill("#f-min_price", "400000");
    await page.fill("#f-max_price", "800000");
    await page.fill("#f-min_bedrooms", "3");
    await page.press("#f-min_bedrooms", "Enter");
    await page.waitForURL(/min_bedrooms=3/);
    await resultsSettled(page);

    const cards = await cardData(page);
    const expected = await dbCount("city = $1 AND price_minor BETWEEN 40000000 AND 80000000 AND bedrooms >= 3", [seed().city]);
    expect(expected).toBeGreaterThan(0);
    expect(cards.length).toBe(expected);
    for (const c of cards) {
      expect(c.price).toBeGreaterThanOrEqual(400_000);
      expect(c.price).toBeLessThanOrEqual(800_000);
      expect(c.bedrooms).toBeGreaterThanOrEqual(3);
    }
    expect(await page.textContent("#results-title")).toContain(String(expected));
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ min_price: "400000", max_price: "800000", min_bedrooms: "3" });
    await screenshot(page, "search-filtered");

    // The URL holds the whole state: reloading it gives the same form and results.
    await page.reload();
    await resultsSettled(page);
    expect(await page.inputValue("#f-min_bedrooms")).toBe("3");
    expect((await cardData(page)).map((c) => c.id).sort()).toEqual(cards.map((c) => c.id).sort());
    expect(errors).toEqual([]);
    await context.close();
  });

  it("moving the map and searching this area makes the list follow", async (ctx) => {
    await requireApi(ctx, "GET /api/v1/properties");
    const { west, westIds, eastIds } = seed();
    const { page, context } = await openPage(browser, `/?city=${seed().city}&bbox=${west.join(",")}`);
    await resultsSettled(page);
    await page.waitForSelector("#map[data-ready]");
    const beforeTotal = await dbCount("city = $1 AND location::geometry && ST_MakeEnvelope($2, $3, $4, $5, 4326)", [
      seed().city,
      ...west,
    ]);
    expect(await page.textContent("#results-title")).toContain(`${beforeTotal} properties`);
    const before = (await cardData(page)).map((c) => c.id);
    expect(before.length).toBeGreaterThan(0);
    // Every card lies in the western area (seeded there, or put in this city by another test).
    const inWest = await dbCount("id = ANY($1::uuid[]) AND location::geometry && ST_MakeEnvelope($2, $3, $4, $5, 4326)", [
      before,
      ...west,
    ]);
    expect(inWest).toBe(before.length);
    expect(before.some((id) => westIds.includes(id))).toBe(true);
    await screenshot(page, "map-before-move");

    // Drag the map (content moves left: we look further east), then zoom out.
    const box = (await page.locator("#map").boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx - box.width * 0.4, cy, { steps: 12 });
    await page.mouse.up();
    // Zoom out with the keyboard (the map canvas has focus after the drag), as a keyboard user would.
    await page.focus("#map canvas");
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press("Minus");
      await page.waitForTimeout(600);
    }
    await page.locator("#search-area").click();
    await page.waitForURL((u) => u.searchParams.get("bbox") !== west.join(","));
    await resultsSettled(page);
    const bbox = new URL(page.url()).searchParams.get("bbox")!.split(",").map(Number);
    expect(bbox[2]).toBeGreaterThan(west[2]);
    // The list now holds exactly what lies in the new area: the eastern neighbourhood came into view.
    const afterTotal = await dbCount("city = $1 AND location::geometry && ST_MakeEnvelope($2, $3, $4, $5, 4326)", [
      seed().city,
      ...bbox,
    ]);
    const eastInView = await dbCount("id = ANY($1::uuid[]) AND location::geometry && ST_MakeEnvelope($2, $3, $4, $5, 4326)", [
      eastIds,
      ...bbox,
    ]);
    expect(eastInView).toBeGreaterThan(0);
    expect(afterTotal).toBeGreaterThan(beforeTotal);
    expect(await page.textContent("#results-title")).toContain(`${afterTotal} properties`);
    await screenshot(page, "map-after-move");

    // Hovering a card highlights it (and its point on the map).
    await page.locator(".card").first().hover();
    expect(await page.locator(".card.active").count()).toBe(1);
    await context.close();
  });

  it("a property ingested through the API while the page is open appears within 5 s, and a price change updates in place", async (ctx) => {
    await requireApi(ctx, "GET /api/v1/properties", "POST /api/v1/properties");
    // Each step says when it is reached, so a timeout names the step that hung.
    const t0 = Date.now();
    const reached = (step: string) => console.log(`live test: ${step} after ${Date.now() - t0} ms`);
    const { page, context } = await openPage(browser, `/?city=${seed().city}`);
    reached("page open");
    await resultsSettled(page);
    reached("results");
    await page.waitForFunction(() => document.getElementById("live-state")?.textContent?.includes("Live"), null, {
      timeout: 10_000,
    });

    const listingId = `live-${Date.now()}`;
    const item = (price: number) => ({
      source: "browser-live.example",
      source_listing_id: listingId,
      source_url: `https://browser-live.example/listings/${listingId}`,
      property_type: "house",
      listing_type: "sale",
      status: "active",
      title: "Freshly listed live test house",
      price,
      currency: "USD",
      bedrooms: 4,
      bathrooms: 2,
      address: { street: "77 Live Street", city: seed().city, state: "WA", postal_code: "98101", country: "US" },
      location: { lat: 47.612, lng: -122.331 },
    });
    const post = (body: unknown) =>
      fetch(`${origin()}/api/v1/properties`, {
        method: "POST",
        headers: { authorization: `Bearer ${inject("siteServiceToken")}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });

    reached("live");
    const started = Date.now();
    const res = await post(item(910_000));
    reached("created");
    expect(res.status, await res.clone().text()).toBe(201);
    const { data } = (await res.json()) as { data: { id: string } };
    await page.locator("#live-banner:not([hidden])").waitFor({ timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await page.textContent("#live-text")).toContain("1 new listing");
    await screenshot(page, "live-new-listing");

    await page.focus("#live-show");
    await page.keyboard.press("Enter");
    await resultsSettled(page);
    reached("shown");
    // The button goes with the banner; keyboard focus lands on the new listing's card, not on <body>.
    await page.locator(`.card[data-id="${data.id}"]`).waitFor({ timeout: 15_000 });
    await expect
      .poll(() =>
        page.evaluate(
          () => (document.activeElement?.closest(".card") as HTMLElement | null)?.dataset.id ?? document.activeElement?.tagName,
        ),
      )
      .toBe(data.id);
    await screenshot(page, "live-show-focus");

    const changed = await post(item(875_000));
    reached("changed");
    expect(changed.status, await changed.clone().text()).toBe(200);
    await expect
      .poll(() => page.locator(`.card[data-id="${data.id}"] [data-field=price]`).textContent(), { timeout: 5_000 })
      .toBe("$875,000");
    await context.close();
  });
});
