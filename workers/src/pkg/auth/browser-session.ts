/**
 * Sessions for the site in a browser (docs/auth.md "Browser sessions"). The refresh token lives in an
 * `HttpOnly; Secure; SameSite=Strict` cookie that only the browser-session endpoints receive (its
 * `Path`), so page scripts can never read it; the access JWT is handed to the page in the answer and kept
 * in memory. A second, readable cookie carries a random CSRF token that the page echoes in the
 * `X-CSRF-Token` header (double submit, OWASP CSRF cheat sheet): a cross-site form or script cannot read
 * it, so it cannot forge the header. Every cookie-authenticated request must also come from this origin
 * (`Origin` / `Sec-Fetch-Site`), which stops sign-in CSRF where no token exists yet.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { HonoEnv } from "../../env";
import { ApiError } from "../errors";
import { constantTimeEqual } from "./password";
import { REFRESH_TOKEN_TTL_SECONDS, type Session } from "./session";

/** Only the browser-session endpoints receive the refresh cookie (RFC 6265 §5.1.4 path matching). */
export const BROWSER_SESSION_PATH = "/api/v1/auth/browser";
/** `__Secure-` (RFC 6265bis §4.1.3.1): browsers refuse the cookie unless it is `Secure` and set over HTTPS. */
export const REFRESH_COOKIE = "__Secure-pillow_refresh";
/** Readable by the site's scripts on every page (`Path=/`), so they know a session may exist and can echo it. */
export const CSRF_COOKIE = "__Secure-pillow_csrf";
export const CSRF_HEADER = "x-csrf-token";
const utf8 = new TextEncoder();

function newCsrfToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Sets both cookies for a new or rotated session; returns the body for the page (no refresh token in it). */
export function setBrowserSession(c: Context<HonoEnv>, session: Session) {
  const common = { secure: true, sameSite: "Strict", maxAge: REFRESH_TOKEN_TTL_SECONDS } as const;
  setCookie(c, REFRESH_COOKIE, session.refresh_token, {
    ...common,
    httpOnly: true,
    path: BROWSER_SESSION_PATH,
  });
  const csrf = newCsrfToken();
  setCookie(c, CSRF_COOKIE, csrf, { ...common, httpOnly: false, path: "/" });
  return {
    access_token: session.access_token,
    token_type: session.token_type,
    expires_in: session.expires_in,
    refresh_expires_in: session.refresh_expires_in,
    csrf_token: csrf,
    user: session.user,
  };
}

export function clearBrowserSession(c: Context<HonoEnv>): void {
  deleteCookie(c, REFRESH_COOKIE, { path: BROWSER_SESSION_PATH, secure: true, sameSite: "Strict", httpOnly: true });
  deleteCookie(c, CSRF_COOKIE, { path: "/", secure: true, sameSite: "Strict" });
}

export function refreshCookie(c: Context<HonoEnv>): string | undefined {
  return getCookie(c, REFRESH_COOKIE) || undefined;
}

/**
 * Refuses requests another site started. Browsers send `Sec-Fetch-Site` (Fetch Metadata) and `Origin` on
 * every cross-origin POST; a request with neither is not from a browser, so no cookie of a victim rides on
 * it. `Sec-Fetch-Site: none` (typed address) never applies to a POST.
 */
export function requireSameOrigin(c: Context<HonoEnv>): void {
  const site = c.req.header("sec-fetch-site");
  if (site && site !== "same-origin") throw new ApiError("FORBIDDEN", "Cross-site request refused.");
  const origin = c.req.header("origin");
  if (origin && origin !== new URL(c.req.url).origin) throw new ApiError("FORBIDDEN", "Cross-origin request refused.");
}

/** Same origin, and the `X-CSRF-Token` header equals the CSRF cookie. */
export function requireCsrf(c: Context<HonoEnv>): void {
  requireSameOrigin(c);
  const cookie = getCookie(c, CSRF_COOKIE);
  const header = c.req.header(CSRF_HEADER);
  if (!cookie || !header || !constantTimeEqual(utf8.encode(cookie), utf8.encode(header))) {
    throw new ApiError("FORBIDDEN", "Missing or wrong CSRF token; reload the page and try again.");
  }
}
