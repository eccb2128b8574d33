/**
 * Helpers for the OpenID Connect sign-in tests: a browser on the site (`Jar`, browser-test-helpers.ts)
 * that goes to the tests' real provider (workers/test/oidc-provider.ts), signs in there on its
 * development login page and consents (or declines), and comes back to the callback.
 */
import { expect } from "vitest";
import { call, callWithEnv, unique } from "../../../../test/helpers";
import type { Env } from "../../../env";
import { browserPost, cookieHeader, type Jar, keep, SITE_ORIGIN } from "./browser-test-helpers";

export const OIDC = "/api/v1/auth/browser/oidc";

/** A fresh address the provider asserts as verified (`#unverified` for not). */
export const newEmail = (label = "oidc") => `${unique(label)}@idp.pillow.test`;

/** Starts a sign-in from the site; returns the provider's authorization URL the browser is sent to. */
export async function startSignIn(jar: Jar, provider = "local", returnTo?: string): Promise<URL> {
  const query = returnTo === undefined ? "" : `?return_to=${encodeURIComponent(returnTo)}`;
  // `manual`: a request to the Worker follows redirects by default, and would follow this one back into it.
  const res = await call(`${OIDC}/${provider}/start${query}`, { headers: { Cookie: cookieHeader(jar) }, redirect: "manual" });
  expect(res.status, await res.clone().text()).toBe(302);
  keep(jar, res);
  return new URL(res.headers.get("location")!);
}

/** The provider's own cookies, kept as a browser keeps them (expired ones dropped). */
function keepProviderCookies(jar: Map<string, string>, res: Response) {
  for (const line of res.headers.getSetCookie()) {
    const name = line.slice(0, line.indexOf("="));
    const value = line.slice(name.length + 1).split(";")[0] ?? "";
    if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}

/**
 * At the provider: signs in as `login` and consents (or declines with `consent: false`), following its
 * redirects until it sends the browser back to the site; returns that callback URL.
 */
export async function authorizeAt(authorizationUrl: URL, login: string, { consent = true } = {}): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl.href;
  for (let step = 0; step < 20; step++) {
    if (url.startsWith(SITE_ORIGIN)) return new URL(url);
    const res = await fetch(url, { redirect: "manual", headers: { Cookie: cookieHeader(cookies) } });
    keepProviderCookies(cookies, res);
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = new URL(location, url).href;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected page at the provider (${res.status}): ${html.slice(0, 500)}`);
    const target = new URL(action, url);
    if (prompt === "consent" && !consent) {
      url = `${target.href}/abort`;
      continue;
    }
    const form: Record<string, string> = prompt === "login" ? { prompt, login, password: "any password" } : { prompt };
    const post = await fetch(target, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookieHeader(cookies), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form),
    });
    keepProviderCookies(cookies, post);
    await post.body?.cancel();
    const next = post.headers.get("location");
    if (!next) throw new Error(`the provider answered the ${prompt} form with ${post.status}`);
    url = new URL(next, target).href;
  }
  throw new Error("the provider never sent the browser back");
}

/** The browser arrives at the callback (with its cookies); returns the answer, cookies kept in the jar. */
export async function arrive(jar: Jar, callbackUrl: URL, env?: Partial<Env>, headers: Record<string, string> = {}) {
  const path = callbackUrl.pathname + callbackUrl.search;
  const init: RequestInit = { headers: { Cookie: cookieHeader(jar), ...headers }, redirect: "manual" };
  const res = env ? await callWithEnv(callbackUrl.href, env, init) : await call(path, init);
  keep(jar, res);
  return res;
}

/** The whole sign-in: start, the provider, the callback. */
export async function signInThroughProvider(login: string, options: { provider?: string; returnTo?: string; jar?: Jar } = {}) {
  const jar = options.jar ?? new Map();
  const callback = await authorizeAt(await startSignIn(jar, options.provider, options.returnTo), login);
  return { jar, callback, res: await arrive(jar, callback) };
}

/** Where a callback answer sends the browser, and the `oidc_error` when it is the sign-in page. */
export function landing(res: Response): { path: string; error: string | null } {
  expect(res.status, `callback answered ${res.status}`).toBe(302);
  const to = new URL(res.headers.get("location")!, SITE_ORIGIN);
  return { path: to.pathname, error: to.searchParams.get("oidc_error") };
}

/** Whom the browser's session cookie belongs to (via the refresh endpoint), or null without a session. */
export async function sessionUser(jar: Jar): Promise<{ id: string; email: string } | null> {
  if (!jar.has("__Secure-pillow_refresh")) return null;
  const res = await browserPost("/api/v1/auth/browser/refresh", jar);
  if (res.status !== 200) return null;
  return ((await res.json()) as { data: { user: { id: string; email: string } } }).data.user;
}
