/**
 * Signing in through an OpenID Connect provider in Chromium, against the tests' real provider
 * (workers/test/oidc-provider.ts, started by global-setup.ts as provider `local`): the sign-in page shows
 * its button; signing in there lands on /account signed in; declining comes back with the reason shown.
 * An account made there has no password: it sets one, or deletes itself by typing its email address.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch, openPage, origin, requireApi, screenshot } from "./browser";

let browser: Browser;
beforeAll(async () => {
  // The provider is plain http on another port; Chromium would first try it over https (HTTPS-Upgrades),
  // fail, and fall back, which only slows a loaded machine down. Deployed providers are https anyway.
  browser = await launch(["--disable-features=HttpsUpgrades"]);
});
afterAll(async () => {
  await browser?.close();
});

const BUTTON = "a:text('Sign in with Local test provider')";

/**
 * A page on the site whose browser also reaches the provider. The provider's development login page
 * pulls a web font from the internet, which these machines cannot reach (and a DNS timeout could stall
 * the page): the test answers it with an empty style sheet.
 */
async function openSignIn(path: string) {
  const opened = await openPage(browser, path);
  await opened.context.route(/^https:\/\/fonts\.googleapis\.com\//, (route) =>
    route.fulfill({ status: 200, contentType: "text/css", body: "" }),
  );
  return opened;
}

/** At the provider's login page: any login name signs in (the test provider asserts it as a verified email). */
async function signInAtProvider(page: Page, email: string) {
  await page.waitForSelector("input[name=login]");
  await page.fill("input[name=login]", email);
  await page.fill("input[name=password]", "any password");
  await page.click("button[type=submit]");
  await page.waitForSelector("input[name=prompt][value=consent]", { state: "attached" });
}

/** Signs in at the provider as a new person and lands on /account/ with a fresh account that has no password. */
async function newProviderAccount(): Promise<{
  page: Page;
  context: Awaited<ReturnType<typeof openSignIn>>["context"];
  email: string;
}> {
  const { page, context } = await openSignIn("/signin/");
  const email = `oidc-${crypto.randomUUID().slice(0, 8)}@idp.pillow.test`;
  await page.click(BUTTON);
  await signInAtProvider(page, email);
  await page.click("button[type=submit]");
  await page.waitForURL(/\/account\/$/, { timeout: 60_000 });
  await page.waitForSelector("body[data-account-ready=true]");
  expect(await page.textContent("#account-email")).toBe(email);
  return { page, context, email };
}

async function usersWithEmail(email: string): Promise<number> {
  const client = new pg.Client(inject("siteDatabaseUrl"));
  await client.connect();
  try {
    return (await client.query("SELECT 1 FROM users WHERE email = $1", [email])).rowCount ?? 0;
  } finally {
    await client.end();
  }
}

describe("OpenID Connect sign-in on the site", () => {
  it("the sign-in page shows a button per provider; signing in there lands on /account signed in", {
    timeout: 120_000,
  }, async (ctx) => {
    await requireApi(ctx, "GET /api/v1/auth/browser/oidc/{provider}/start");
    const { page, context } = await openSignIn("/signin/");
    const failed: string[] = [];
    page.on("requestfailed", (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
    const buttons = page.locator("#oidc-provider-list a");
    await expect.poll(() => buttons.count()).toBe(1);
    expect(await buttons.first().textContent()).toBe("Sign in with Local test provider");
    await screenshot(page, "signin-oidc-button");

    const email = `oidc-${crypto.randomUUID().slice(0, 8)}@idp.pillow.test`;
    // Chromium may send the start request twice for one click (each attempt gets its own cookie, named
    // after its state): the attempt that finished is the one whose state reaches the callback.
    const finishedStates: string[] = [];
    context.on("request", (request) => {
      const url = new URL(request.url());
      const state = url.searchParams.get("state");
      if (/\/oidc\/[^/]+\/callback/.test(url.pathname) && state) finishedStates.push(state);
    });
    const navigations: string[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await page.click(BUTTON);
    await signInAtProvider(page, email);
    await page.click("button[type=submit]");
    // Provider → callback → /account/: three navigations, slow on a loaded machine.
    await expect.poll(() => /\/(account|signin)\//.test(new URL(page.url()).pathname), { timeout: 60_000 }).toBe(true);
    expect(new URL(page.url()).pathname, navigations.join(" → ")).toBe("/account/");
    await page.waitForSelector("body[data-account-ready=true]");
    await expect.poll(() => page.textContent("#account-email")).toBe(email);
    await expect.poll(() => page.textContent("#account-nav")).toContain(email);
    const refresh = (await context.cookies()).find((c) => c.name === "__Secure-pillow_refresh");
    expect(refresh).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict" });
    // The one-time state cookie of the attempt that finished is gone (an unfinished twin's may remain).
    expect(finishedStates.length).toBeGreaterThan(0);
    const cookieOf = (state: string) => `__Secure-pillow_oidc_${createHash("sha256").update(state).digest("hex").slice(0, 16)}`;
    const names = new Set((await context.cookies()).map((c) => c.name));
    expect(finishedStates.filter((state) => names.has(cookieOf(state)))).toEqual([]);
    if (failed.length > 0) console.log(`requests that failed (provider page included): ${failed.join("; ")}`);
    // Nothing of the site failed to load (the provider's own page is not the site's to judge).
    expect(failed.filter((line) => line.startsWith(origin()))).toEqual([]);
    await context.close();
  });

  it("keeps the return path through the provider", { timeout: 120_000 }, async (ctx) => {
    await requireApi(ctx, "GET /api/v1/auth/browser/oidc/{provider}/start");
    const { page, context } = await openSignIn("/signin/?next=%2Faccount%2F%3Ffrom%3Dnext");
    await page.click(BUTTON);
    await signInAtProvider(page, `oidc-${crypto.randomUUID().slice(0, 8)}@idp.pillow.test`);
    await page.click("button[type=submit]");
    await page.waitForURL(/\/account\/\?from=next$/, { timeout: 60_000 });
    await page.waitForSelector("body[data-account-ready=true]");
    await context.close();
  });

  it("declining at the provider comes back to the sign-in page with the reason shown, signed out", {
    timeout: 120_000,
  }, async (ctx) => {
    await requireApi(ctx, "GET /api/v1/auth/browser/oidc/{provider}/start");
    const { page, context } = await openSignIn("/signin/");
    await page.click(BUTTON);
    await signInAtProvider(page, `oidc-${crypto.randomUUID().slice(0, 8)}@idp.pillow.test`);
    await page.click("a:text('[ Cancel ]')");
    await page.waitForURL(/\/signin\/\?oidc_error=denied/, { timeout: 60_000 });
    await page.waitForSelector("#auth-error:not([hidden])");
    expect(await page.textContent("#auth-error")).toContain("declined");
    expect((await context.cookies()).some((c) => c.name === "__Secure-pillow_refresh")).toBe(false);
    await screenshot(page, "signin-oidc-denied");
    await context.close();
  });

  it("an account made through the provider sets a password without a current one, then signs in with it", {
    timeout: 120_000,
  }, async (ctx) => {
    await requireApi(ctx, "GET /api/v1/auth/browser/oidc/{provider}/start", "POST /api/v1/auth/password");
    const { page, context, email } = await newProviderAccount();
    expect(await page.textContent("#password-heading")).toBe("Set a password");
    expect(await page.isVisible("#no-password-hint")).toBe(true);
    expect(await page.isHidden("#current-password-field")).toBe(true);
    expect(await page.isVisible("#delete-email")).toBe(true);
    expect(await page.isHidden("#delete-password-field")).toBe(true);
    await screenshot(page, "account-set-password");

    const password = "my first pillow passphrase";
    await page.fill("#new-password", password);
    await page.click("#password-form button[type=submit]");
    await expect.poll(() => page.textContent("#password-message")).toContain("Password set");
    // Now it is an account with a password: changing it asks for the current one, deleting for the password.
    expect(await page.textContent("#password-heading")).toBe("Change password");
    expect(await page.isVisible("#current-password")).toBe(true);
    expect(await page.isVisible("#delete-password")).toBe(true);
    expect(await page.isHidden("#delete-email-field")).toBe(true);
    const login = await fetch(`${origin()}/api/v1/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { data: { user: { has_password: boolean } } }).data.user.has_password).toBe(true);
    await context.close();
  });

  it("an account made through the provider deletes itself by typing its email address exactly", {
    timeout: 120_000,
  }, async (ctx) => {
    await requireApi(ctx, "GET /api/v1/auth/browser/oidc/{provider}/start", "POST /api/v1/auth/account/delete");
    const { page, context, email } = await newProviderAccount();
    await page.fill("#key-name", "provider account key");
    await page.click("#key-form button[type=submit]");
    await page.waitForSelector("#new-key:not([hidden])");
    const key = await page.inputValue("#new-key-value");
    const use = async () =>
      (await fetch(`${origin()}/api/v1/properties?limit=1`, { headers: { Authorization: `Bearer ${key}` } })).status;
    expect(await use()).toBe(200);

    await page.fill("#delete-email", email.toUpperCase());
    page.once("dialog", (d) => d.accept());
    await page.click("#delete-form button[type=submit]");
    await expect.poll(() => page.textContent("#delete-error")).toContain("does not match");
    expect(await usersWithEmail(email)).toBe(1);

    await page.fill("#delete-email", email);
    page.once("dialog", (d) => d.accept());
    await page.click("#delete-form button[type=submit]");
    await page.waitForURL(`${origin()}/?account=deleted`);
    expect(await usersWithEmail(email)).toBe(0);
    expect(await use()).toBe(401);
    await context.close();
  });
});
