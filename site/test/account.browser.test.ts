/**
 * Accounts on the site in Chromium: sign up, create an API key and use it from the test, revoke it, sign
 * out; errors in place; the post-login return path; clickjacking headers; 360 px, keyboard and axe;
 * changing the password, deleting the account, and the admin's service tokens.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch, openPage, origin, requireApi, screenshot } from "./browser";

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a brand new passphrase here";
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const newEmail = () => `site-${crypto.randomUUID().slice(0, 8)}@users.pillow.test`;

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: (ctx: Document) => Promise<unknown> } }).axe.run(document),
  )) as { violations: { id: string; nodes: { target: string[] }[] }[] };
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** The page's width, and the elements that stick out past the viewport (for the failure message). */
async function overflow(page: Page, width: number) {
  return page.evaluate((w) => {
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > w + 0.5)
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className} → ${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, wide };
  }, width);
}

/** Signs in on the sign-in page; resolves once it has left it (or failed there). */
async function signInOnPage(page: Page, email: string, password: string) {
  await page.goto("/signin/");
  await page.fill("#auth-email", email);
  await page.fill("#auth-password", password);
  await page.click("button[type=submit]");
}

async function signOut(page: Page) {
  await page.click("#sign-out");
  await page.waitForURL(`${origin()}/`);
}

/** An API call from the test with a bearer token, as a program using a key would make it. */
const apiStatus = async (token: string) =>
  (await fetch(`${origin()}/api/v1/properties?limit=1`, { headers: { Authorization: `Bearer ${token}` } })).status;

/** Raises an account to admin in the browser tests' database, as an operator does (roles are raised in SQL). */
async function makeAdmin(email: string) {
  const client = new pg.Client(inject("siteDatabaseUrl"));
  await client.connect();
  try {
    const { rowCount } = await client.query("UPDATE users SET role = 'admin' WHERE email = $1", [email]);
    expect(rowCount).toBe(1);
  } finally {
    await client.end();
  }
}

async function signUp(page: Page, email: string) {
  await page.goto("/signup/");
  await page.fill("#auth-email", email);
  await page.fill("#auth-password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(/\/account\/$/);
  await page.waitForSelector("body[data-account-ready=true]");
}

describe("accounts on the site", () => {
  it("sign up → create a key → the key reads the API → revoke → the same call is 401; sign out clears the session", async (ctx) => {
    await requireApi(ctx, "POST /api/v1/auth/browser/signup", "POST /api/v1/tokens");
    const { page, context, errors } = await openPage(browser, "/");
    const email = newEmail();
    await signUp(page, email);
    await expect.poll(() => page.textContent("#account-nav")).toContain(email);
    // No token of any kind in Web Storage.
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toMatch(
      /pil_|plr_|eyJ/,
    );
    // The refresh cookie is HttpOnly: page scripts cannot see it.
    expect(await page.evaluate(() => document.cookie)).not.toContain("pillow_refresh");
    const cookies = await context.cookies();
    const refresh = cookies.find((c) => c.name === "__Secure-pillow_refresh");
    expect(refresh).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/api/v1/auth/browser" });

    await page.fill("#key-name", "browser test key");
    await page.click("#key-form button[type=submit]");
    await page.waitForSelector("#new-key:not([hidden])");
    const key = await page.inputValue("#new-key-value");
    expect(key).toMatch(/^pil_/);
    const curl = (await page.textContent("#curl-example")) ?? "";
    expect(curl).toContain(`${origin()}/api/v1/properties`);
    expect(curl).toContain(key);
    await screenshot(page, "account-new-key");

    const use = () => fetch(`${origin()}/api/v1/properties?limit=1`, { headers: { Authorization: `Bearer ${key}` } });
    expect((await use()).status).toBe(200);
    await expect.poll(() => page.locator("#key-table tbody tr").count()).toBe(1);
    expect(await page.textContent("#key-table tbody tr")).toContain(key.slice(0, 8));

    page.once("dialog", (d) => d.accept());
    await page.click("#key-table tbody tr button");
    await expect.poll(() => page.locator("#key-table tbody tr").count()).toBe(0);
    expect((await use()).status).toBe(401);

    // Reloading keeps the session (cookie), fetching a new access token into memory.
    await page.reload();
    await page.waitForSelector("body[data-account-ready=true]");
    await page.click("#sign-out");
    await page.waitForURL(`${origin()}/`);
    expect((await context.cookies()).filter((c) => c.name.startsWith("__Secure-pillow"))).toEqual([]);
    await expect.poll(() => page.textContent("#account-nav")).toContain("Sign in");
    await page.goto("/account/");
    await page.waitForURL(/\/signin\/\?next=%2Faccount%2F/);
    expect(errors.filter((e) => !/status of 40[01]/.test(e))).toEqual([]);
    await context.close();
  });

  it("shows errors in place: wrong password, email taken, locked out with the time left", async (ctx) => {
    await requireApi(ctx, "POST /api/v1/auth/browser/signin");
    const { page, context } = await openPage(browser, "/");
    const email = newEmail();
    await signUp(page, email);
    await page.click("#sign-out");
    await page.waitForURL(`${origin()}/`);

    await page.goto("/signup/");
    await page.fill("#auth-email", email);
    await page.fill("#auth-password", PASSWORD);
    await page.click("button[type=submit]");
    await expect.poll(() => page.textContent("#auth-error")).toContain("already exists");

    await page.goto("/signin/");
    for (let i = 0; i < 5; i++) {
      await page.fill("#auth-email", email);
      await page.fill("#auth-password", `a wrong password ${i}`);
      await page.click("button[type=submit]");
      await expect.poll(() => page.textContent("#auth-error")).toMatch(/Wrong email or password|Too many/);
      await page.waitForSelector("button[type=submit]:not([disabled])");
    }
    await page.fill("#auth-password", PASSWORD);
    await page.click("button[type=submit]");
    await expect.poll(() => page.textContent("#auth-error")).toMatch(/Too many attempts\. Try again in \d+ (minutes|seconds?)\./);
    await screenshot(page, "signin-locked-out");
    await context.close();
  });

  it("returns only to same-site paths after signing in (no open redirect)", async (ctx) => {
    await requireApi(ctx, "POST /api/v1/auth/browser/signin");
    const { page, context } = await openPage(browser, "/");
    const email = newEmail();
    await signUp(page, email);
    await page.click("#sign-out");
    await page.waitForURL(`${origin()}/`);
    for (const [next, expected] of [
      ["https://evil.example/", "/account/"],
      ["//evil.example/x", "/account/"],
      ["/\\evil.example", "/account/"],
      ["javascript:alert(1)", "/account/"],
      ["/market/?city=Seattle", "/market/?city=Seattle"],
    ] as const) {
      await page.goto(`/signin/?next=${encodeURIComponent(next)}`);
      await page.fill("#auth-email", email);
      await page.fill("#auth-password", PASSWORD);
      await page.click("button[type=submit]");
      await page.waitForURL((url) => url.pathname !== "/signin/");
      const url = new URL(page.url());
      expect(url.origin, next).toBe(origin());
      expect(url.pathname + url.search, next).toBe(expected);
    }
    await context.close();
  });

  it("account pages may not be framed (clickjacking)", async () => {
    for (const path of ["/account/", "/signin/", "/signup/"]) {
      const res = await fetch(`${origin()}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
    }
  });

  it("works at 360 px, with the keyboard, and axe finds no violations", async (ctx) => {
    await requireApi(ctx, "POST /api/v1/auth/browser/signup");
    const { page, context } = await openPage(browser, "/signup/", { width: 360, height: 740 });
    expect(await axeViolations(page)).toEqual([]);
    // Keyboard only: tab to the fields, type, submit with Enter.
    await page.focus("#auth-email");
    await page.keyboard.type(newEmail());
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/account\/$/);
    await page.waitForSelector("body[data-account-ready=true]");
    await page.focus("#key-name");
    await page.keyboard.type("keyboard key");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#new-key:not([hidden])");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("new-key");
    await screenshot(page, "360px-account", true);
    const account = await overflow(page, 360);
    expect(account.scrollWidth, account.wide.join("; ")).toBeLessThanOrEqual(360);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto("/signin/");
    expect(await axeViolations(page)).toEqual([]);
    const signin = await overflow(page, 360);
    expect(signin.scrollWidth, signin.wide.join("; ")).toBeLessThanOrEqual(360);
    await context.close();
  });

  it("changes the password: then the new one signs in and the old one fails; no admin section for a user", async (ctx) => {
    await requireApi(ctx, "POST /api/v1/auth/password");
    const { page, context, errors } = await openPage(browser, "/");
    const email = newEmail();
    await signUp(page, email);
    expect(await page.isHidden("#service-section")).toBe(true);
    expect(await page.textContent("#password-heading")).toBe("Change password");
    expect(await page.isVisible("#current-password")).toBe(true);

    // A wrong current password is shown in place.
    await page.fill("#current-password", "not my password at all");
    await page.fill("#new-password", NEW_PASSWORD);
    await page.click("#password-form button[type=submit]");
    await expect.poll(() => page.textContent("#password-message")).toContain("current password is wrong");

    await page.fill("#current-password", PASSWORD);
    await page.fill("#new-password", NEW_PASSWORD);
    await page.click("#password-form button[type=submit]");
    await expect.poll(() => page.textContent("#password-message")).toContain("Password changed");
    // Still signed in (the page signed in again with the new password).
    await page.reload();
    await page.waitForSelector("body[data-account-ready=true]");
    await signOut(page);

    await signInOnPage(page, email, PASSWORD);
    await expect.poll(() => page.textContent("#auth-error")).toContain("Wrong email or password");
    await signInOnPage(page, email, NEW_PASSWORD);
    await page.waitForURL(/\/account\/$/);
    await page.waitForSelector("body[data-account-ready=true]");
    expect(await page.textContent("#account-email")).toBe(email);
    expect(errors.filter((e) => !/status of (401|422)/.test(e))).toEqual([]);
    await context.close();
  });

  it("deletes the account: then signing in fails and its API key stops working", async (ctx) => {
    await requireApi(ctx, "POST /api/v1/auth/account/delete");
    const { page, context } = await openPage(browser, "/");
    const email = newEmail();
    await signUp(page, email);
    await page.fill("#key-name", "doomed key");
    await page.click("#key-form button[type=submit]");
    await page.waitForSelector("#new-key:not([hidden])");
    const key = await page.inputValue("#new-key-value");
    expect(await apiStatus(key)).toBe(200);
    expect(await page.isVisible("#delete-password")).toBe(true);
    expect(await page.isHidden("#delete-email-field")).toBe(true);

    // Dismissing the confirmation deletes nothing.
    await page.fill("#delete-password", PASSWORD);
    page.once("dialog", (d) => d.dismiss());
    await page.click("#delete-form button[type=submit]");
    expect(await apiStatus(key)).toBe(200);

    page.once("dialog", (d) => d.accept());
    await page.click("#delete-form button[type=submit]");
    await page.waitForURL(`${origin()}/?account=deleted`);
    expect(await apiStatus(key)).toBe(401);
    await expect.poll(() => page.textContent("#account-nav")).toContain("Sign in");
    await signInOnPage(page, email, PASSWORD);
    await expect.poll(() => page.textContent("#auth-error")).toContain("Wrong email or password");
    await context.close();
  });

  it("an admin sees the service tokens: mints one (shown once), sees it listed, revokes it, and it then answers 401", async (ctx) => {
    await requireApi(ctx, "POST /api/v1/admin/service-tokens", "DELETE /api/v1/admin/service-tokens/{id}");
    const { page, context, errors } = await openPage(browser, "/");
    const email = newEmail();
    await signUp(page, email);
    expect(await page.isHidden("#service-section")).toBe(true);
    await makeAdmin(email);
    await signOut(page);
    await signInOnPage(page, email, PASSWORD);
    await page.waitForURL(/\/account\/$/);
    await page.waitForSelector("body[data-account-ready=true]");
    expect(await page.textContent("#account-role")).toBe("admin");
    expect(await page.isVisible("#service-section")).toBe(true);

    const service = `svc-${crypto.randomUUID().slice(0, 8)}`;
    await page.fill("#service-name", service);
    await page.fill("#service-sources", "browser-test.example, other.example");
    await page.click("#service-form button[type=submit]");
    await page.waitForSelector("#new-service:not([hidden])");
    const token = await page.inputValue("#new-service-value");
    expect(token).toMatch(/^pil_/);
    expect(await apiStatus(token)).toBe(200);
    const row = page.locator("#service-table tbody tr", { hasText: service });
    await expect.poll(() => row.count()).toBe(1);
    const listed = (await row.textContent()) ?? "";
    expect(listed).toContain(token.slice(0, 8));
    expect(listed).toContain("browser-test.example, other.example");
    // Shown once: the list has only the prefix, and a reload shows the token nowhere.
    expect(listed).not.toContain(token);
    await screenshot(page, "account-service-token");
    await page.reload();
    await page.waitForSelector("body[data-account-ready=true]");
    expect(await page.content()).not.toContain(token);
    expect(await page.isHidden("#new-service")).toBe(true);

    // Dismissing the confirmation keeps it; accepting revokes it.
    page.once("dialog", (d) => d.dismiss());
    await row.locator("button").click();
    expect(await apiStatus(token)).toBe(200);
    let question = "";
    page.once("dialog", (d) => {
      question = d.message();
      void d.accept();
    });
    await row.locator("button").click();
    await expect.poll(() => row.count()).toBe(0);
    expect(question).toContain(service);
    expect(await apiStatus(token)).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });
});
