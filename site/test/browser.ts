/**
 * Helpers for the browser tests: Debian's Chromium through playwright-core, screenshots saved to
 * test-artifacts/ (git-ignored), and checks of which API routes the running Worker has.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { inject } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = join(process.cwd(), "test-artifacts");

export const origin = () => inject("siteOrigin");
export const seed = () => inject("siteSeed");

/** Chromium for the site tests; `extraArgs` for a test that needs a switch of its own. */
export async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      ...extraArgs,
    ],
  });
}

/** Waits until the Worker answers (it may be restarting, see global-setup.ts). */
export async function serverUp(timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${origin()}/favicon.svg`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the Worker did not answer");
}

/** A page that fails the test on uncaught page errors, with console errors collected for messages. */
export async function openPage(browser: Browser, path: string, viewport = { width: 1280, height: 860 }) {
  await serverUp();
  const context = await browser.newContext({ viewport, baseURL: origin() });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    // A listing's photo is on its source's host, and one that does not load is the placeholder's job
    // (search-layout.browser.test.ts), not a fault of the page: other tests' listings may carry such photos.
    const resource = msg.location().url;
    if (msg.text().startsWith("Failed to load resource") && resource && !resource.startsWith(origin())) return;
    errors.push(msg.text());
  });
  await page.goto(path);
  return { page, errors, context };
}

export async function screenshot(page: Page, name: string, fullPage = false) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

let routes: Set<string> | undefined;
/** "GET /api/v1/properties" style operations present in the running Worker's OpenAPI document. */
export async function apiRoutes(): Promise<Set<string>> {
  if (routes) return routes;
  const spec = (await (await fetch(`${origin()}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = new Set(
    Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
  );
  return routes;
}

/** Skips the calling test, with the reason, when the Worker lacks an API operation it needs. */
export async function requireApi(ctx: { skip: (note?: string) => void }, ...operations: string[]) {
  const have = await apiRoutes();
  const missing = operations.filter((op) => !have.has(op));
  if (missing.length) ctx.skip(`needs ${missing.join(", ")}, which this build of the Worker does not have yet`);
}

/** Card data on the search page. */
export async function cardData(page: Page) {
  return page.$$eval(".card[data-id]", (cards) =>
    cards.map((c) => ({
      id: (c as HTMLElement).dataset.id!,
      price: Number((c as HTMLElement).dataset.price),
      bedrooms: Number((c as HTMLElement).dataset.bedrooms),
    })),
  );
}
