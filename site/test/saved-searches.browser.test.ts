/**
 * Saved searches in the site, in Chromium: "Save this search" asks a signed-out visitor to sign up and
 * comes back to the same search; the search is saved with every filter; a listing ingested through the
 * API raises the header's unread count live (no reload); opening its matches on the account page lowers
 * it; rename, pause, resume and delete; the quota's 422 is shown in the dialog; axe finds nothing on the
 * open dialog and the account page's list with its matches. Its own town, so other tests' data never match.
 */
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { axeViolations } from "./axe";
import { launch, openPage, origin, requireApi, screenshot } from "./browser";
import { ingest } from "./ingest";

const PASSWORD = "correct horse battery staple";
/** A town of its own (new on every attempt, so a retry never meets the searches of the one before). */
const newTown = () => {
  const run = crypto.randomUUID().slice(0, 6);
  return { run, town: `Alertford ${run}` };
};

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const newEmail = () => `saved-${crypto.randomUUID().slice(0, 8)}@users.pillow.test`;

async function signUpThrough(page: Page, linkSelector: string, email: string) {
  await page.click(linkSelector);
  await page.waitForURL(/\/signup\//);
  await page.fill("#auth-email", email);
  await page.fill("#auth-password", PASSWORD);
  await page.click("button[type=submit]");
}

/** The header's count once its live stream has answered. */
async function headerCount(page: Page): Promise<number> {
  await page.waitForSelector("#unread-badge[data-live]", { state: "attached", timeout: 20_000 });
  return Number(await page.getAttribute("#unread-badge", "data-count"));
}

async function db<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(inject("siteDatabaseUrl"));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe("saved searches in the site", () => {
  it("saves the search after signing up, counts a new match live and clears it when the matches are opened", async (ctx) => {
    await requireApi(
      ctx,
      "POST /api/v1/saved-searches",
      "GET /api/v1/live/saved-searches",
      "POST /api/v1/saved-searches/{id}/seen",
    );
    const { run: RUN, town: TOWN } = newTown();
    const search = `/?city=${encodeURIComponent(TOWN)}&max_price=900000&min_bedrooms=2`;
    const { page, errors, context } = await openPage(browser, search);
    try {
      // Signed out: the dialog asks to sign in, and the way back is this very search.
      await page.click("#save-search");
      await page.waitForSelector("#save-dialog[open] #save-signin:not([hidden])");
      expect(await page.isVisible("#save-name")).toBe(false);
      const next = new URL((await page.getAttribute("#save-signin-link", "href")) ?? "", origin()).searchParams.get("next");
      expect(next).toBe(`${search.replace(/ /g, "%20")}#save`);
      await signUpThrough(page, "#save-signup-link", newEmail());

      // Back on the same search with the dialog open again, signed in, a name to edit.
      await page.waitForSelector("#save-dialog[open] #save-name", { timeout: 20_000 });
      expect(new URL(page.url()).search).toBe(new URL(search, origin()).search);
      expect(await page.inputValue("#save-name")).toContain(TOWN);
      await page.fill("#save-name", "");
      await page.click("#save-submit");
      expect(await page.textContent("#save-error")).toContain("name");
      expect(await axeViolations(page)).toEqual([]);
      await page.fill("#save-name", `Homes in ${TOWN}`);
      await page.check(`input[name=save-event][value=status_change]`);
      await page.click("#save-submit");
      await page.waitForSelector("#save-done:not([hidden])");
      expect(await page.textContent("#save-done")).toContain(`Saved “Homes in ${TOWN}”`);
      expect(await page.isVisible("#save-dialog")).toBe(false);

      const saved = await db((c) =>
        c.query("SELECT id, query, events FROM saved_searches WHERE name = $1", [`Homes in ${TOWN}`]).then((r) => r.rows),
      );
      expect(saved).toHaveLength(1);
      const query = new URLSearchParams(saved[0].query);
      expect(query.get("city")).toBe(TOWN);
      expect(query.get("max_price")).toBe("900000");
      expect(query.get("min_bedrooms")).toBe("2");
      expect(saved[0].events).toEqual(["new_match", "price_drop", "status_change"]);

      // A new match arrives while the page stays open: the header's count rises, without a reload.
      expect(await headerCount(page)).toBe(0);
      expect(await page.isVisible("#unread-badge")).toBe(false);
      await page.evaluate(() => {
        (window as unknown as { kept: boolean }).kept = true;
      });
      await ingest({
        source_listing_id: `alert-${RUN}-1`,
        status: "active",
        title: `New home in ${TOWN}`,
        price: 650000,
        currency: "USD",
        bedrooms: 3,
        address: { street: "1 Alert Road", city: TOWN, state: "WA", postal_code: "98101", country: "US" },
      });
      // Too expensive for the search: it must not count.
      await ingest({
        source_listing_id: `alert-${RUN}-2`,
        status: "active",
        title: `Mansion in ${TOWN}`,
        price: 2500000,
        currency: "USD",
        bedrooms: 6,
        address: { street: "2 Alert Road", city: TOWN, state: "WA", postal_code: "98101", country: "US" },
      });
      await page.waitForSelector('#unread-badge[data-count="1"]', { timeout: 30_000 });
      expect(await page.isVisible("#unread-badge")).toBe(true);
      expect((await page.textContent("#unread-badge"))?.trim()).toBe("1");
      expect(await page.evaluate(() => (window as unknown as { kept?: boolean }).kept)).toBe(true);
      await screenshot(page, "saved-search-unread");

      // The count links to the account page's saved searches, where opening the matches reads them.
      await page.click("#unread-badge");
      await page.waitForURL(/\/account\/#saved-searches$/);
      await page.waitForSelector("body[data-account-ready]");
      const item = page.locator(".saved-item", { hasText: `Homes in ${TOWN}` });
      await expect.poll(() => item.locator(".saved-unread").textContent()).toBe("1 new match");
      expect(await headerCount(page)).toBe(1);
      await item.getByRole("button", { name: `Matches of “Homes in ${TOWN}”` }).click();
      await item.locator(".saved-event", { hasText: `New home in ${TOWN}` }).waitFor();
      expect(await item.locator(".saved-event").count()).toBe(1);
      await page.waitForSelector('#unread-badge[data-count="0"]', { state: "attached", timeout: 20_000 });
      expect(await page.isVisible("#unread-badge")).toBe(false);
      expect(await item.locator(".saved-unread").textContent()).toBe("no new matches");
      expect(await item.getByRole("link", { name: `Open search “Homes in ${TOWN}”` }).getAttribute("href")).toContain(
        `city=${encodeURIComponent(TOWN).replace(/%20/g, "+")}`,
      );
      await screenshot(page, "saved-search-account", true);
      expect(await axeViolations(page)).toEqual([]);

      // Rename and choose events, pause and resume, then delete (confirmed).
      await item.getByRole("button", { name: `Edit “Homes in ${TOWN}”` }).click();
      await item.getByLabel("Name").fill(`Renamed ${TOWN}`);
      await item.getByLabel("Price drops").uncheck();
      await item.getByRole("button", { name: "Save changes" }).click();
      const renamed = page.locator(".saved-item", { hasText: `Renamed ${TOWN}` });
      await renamed.waitFor();
      const tells = await renamed.locator("p.hint", { hasText: "Tells you about" }).textContent();
      expect(tells).toContain("new listings");
      expect(tells).not.toContain("price drops");
      await renamed.getByRole("button", { name: `Pause “Renamed ${TOWN}”` }).click();
      await renamed.locator(".badge", { hasText: "paused" }).waitFor();
      await renamed.getByRole("button", { name: `Resume “Renamed ${TOWN}”` }).click();
      await renamed.getByRole("button", { name: `Pause “Renamed ${TOWN}”` }).waitFor();
      const [row] = await db((c) =>
        c.query("SELECT events, paused_at FROM saved_searches WHERE id = $1", [saved[0].id]).then((r) => r.rows),
      );
      expect(row).toEqual({ events: ["new_match", "status_change"], paused_at: null });

      page.once("dialog", (d) => void d.dismiss());
      await renamed.getByRole("button", { name: `Delete “Renamed ${TOWN}”` }).click();
      expect(await renamed.count()).toBe(1);
      page.once("dialog", (d) => void d.accept());
      await renamed.getByRole("button", { name: `Delete “Renamed ${TOWN}”` }).click();
      await page.waitForSelector("#no-saved:not([hidden])");
      expect(await page.textContent("#saved-status")).toContain("Deleted");
      const left = await db((c) => c.query("SELECT count(*)::int AS n FROM saved_searches WHERE id = $1", [saved[0].id]));
      expect(left.rows[0].n).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows the quota's refusal in the dialog, and the account's other counts are not shown to another account", async (ctx) => {
    await requireApi(ctx, "POST /api/v1/saved-searches", "GET /api/v1/live/saved-searches");
    const { page, errors, context } = await openPage(browser, "/signup/");
    try {
      const email = newEmail();
      await page.fill("#auth-email", email);
      await page.fill("#auth-password", PASSWORD);
      await page.click("button[type=submit]");
      await page.waitForURL(/\/account\/$/);
      // Fill the account up to its quota of 50 (as the API would have), straight in the database.
      await db((c) =>
        c.query(
          `INSERT INTO saved_searches (user_id, name, query, events)
           SELECT u.id, 'filler ' || g, 'city=Nowhere', ARRAY['new_match'] FROM users u, generate_series(1, 50) g WHERE u.email = $1`,
          [email],
        ),
      );
      await page.goto(`/?city=${encodeURIComponent(newTown().town)}`);
      await page.click("#save-search");
      await page.waitForSelector("#save-dialog[open] #save-name");
      await page.click("#save-submit");
      await page.waitForSelector("#save-error:not([hidden])");
      expect(await page.textContent("#save-error")).toContain("50 saved searches");
      expect(await page.isVisible("#save-dialog")).toBe(true);
      // This account has no matches, whatever other accounts' searches recorded: its count is 0.
      expect(await headerCount(page)).toBe(0);
      expect(errors.filter((e) => !e.includes("422"))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
