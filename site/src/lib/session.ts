/**
 * The site's side of a browser session (docs/auth.md "Browser sessions"): the refresh token stays in an
 * HttpOnly cookie the page cannot read; the access token lives only in this module's memory (never in
 * localStorage), and is fetched again from `/api/v1/auth/browser/refresh` on each page load. Cookie-
 * authenticated calls echo the readable CSRF cookie as `X-CSRF-Token`.
 */
/** `has_password`: false for an account made through an OpenID Connect provider that has not set one. */
export type SessionUser = { id: string; email: string; role: "user" | "service" | "admin"; has_password: boolean };
export type BrowserSession = { access_token: string; expires_in: number; user: SessionUser };

const CSRF_COOKIE = "__Secure-pillow_csrf";
const BASE = "/api/v1/auth/browser";

/** An API answer that is not a success, with a message fit for people. */
export class AuthFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

function csrfToken(): string | undefined {
  const pair = document.cookie.split("; ").find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return pair ? decodeURIComponent(pair.slice(CSRF_COOKIE.length + 1)) : undefined;
}

/** "3 minutes" / "40 seconds", for the time left of a lockout. */
export function timeLeft(seconds: number): string {
  if (seconds >= 90) return `${Math.ceil(seconds / 60)} minutes`;
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

async function failure(res: Response): Promise<AuthFailure> {
  let body: { error?: { code?: string; message?: string } } = {};
  try {
    body = await res.json();
  } catch {}
  const code = body.error?.code ?? `HTTP_${res.status}`;
  let message = body.error?.message ?? "Something went wrong.";
  if (res.status === 429) {
    const wait = Number(res.headers.get("retry-after"));
    message = `Too many attempts. Try again in ${timeLeft(Number.isFinite(wait) && wait > 0 ? wait : 60)}.`;
  } else if (res.status >= 500) message = "Pillow is having trouble answering. Please try again shortly.";
  return new AuthFailure(message, res.status, code);
}

async function post(path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  const csrf = csrfToken();
  if (csrf) headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(path, {
      method: "POST",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new AuthFailure("Pillow could not be reached. Check your connection and try again.", 0, "NETWORK");
  }
}

// One refresh per page: the header and the page's own script share it (refresh tokens are single use,
// so two parallel refreshes would look like a replay and end the session). Kept on globalThis because
// each Astro script is bundled on its own.
const KEY = Symbol.for("pillow.session");
type Holder = { [KEY]?: Promise<BrowserSession | null> };
const holder = globalThis as Holder;

function remember(session: Promise<BrowserSession | null>) {
  holder[KEY] = session;
  return session;
}

/** The signed-in session, or null. Without the CSRF cookie there is no session to ask for. */
export function currentSession(): Promise<BrowserSession | null> {
  return holder[KEY] ?? remember(refresh());
}

/** A fresh access token after the server refused the current one (401), shared by every caller on the page. */
export function renewSession(): Promise<BrowserSession | null> {
  return remember(refresh());
}

async function refresh(): Promise<BrowserSession | null> {
  if (!csrfToken()) return null;
  const res = await post(`${BASE}/refresh`);
  if (res.status === 401 || res.status === 403 || res.status === 400) return null;
  if (!res.ok) throw await failure(res);
  return ((await res.json()) as { data: BrowserSession }).data;
}

export async function signIn(email: string, password: string): Promise<BrowserSession> {
  const res = await post(`${BASE}/signin`, { email, password });
  if (!res.ok) throw await failure(res);
  const session = ((await res.json()) as { data: BrowserSession }).data;
  remember(Promise.resolve(session));
  return session;
}

export async function signUp(email: string, password: string): Promise<BrowserSession> {
  const res = await post(`${BASE}/signup`, { email, password });
  if (!res.ok) {
    const err = await failure(res);
    if (res.status === 409) err.message = "An account with this email already exists.";
    throw err;
  }
  const session = ((await res.json()) as { data: BrowserSession }).data;
  remember(Promise.resolve(session));
  return session;
}

export async function signOut(): Promise<void> {
  await post(`${BASE}/signout`);
  remember(Promise.resolve(null));
}

/**
 * A call to the API with the session's access token. An expired token (401) is refreshed once; the
 * resolved value is the parsed success body, failures reject with an AuthFailure.
 */
export async function authFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const session = await currentSession();
    if (!session) throw new AuthFailure("You are signed out.", 401, "UNAUTHORIZED");
    const headers: Record<string, string> = { accept: "application/json", Authorization: `Bearer ${session.access_token}` };
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(path, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (res.status === 401 && attempt === 0) {
      remember(refresh());
      continue;
    }
    if (!res.ok) throw await failure(res);
    return (await res.json()) as T;
  }
  throw new AuthFailure("You are signed out.", 401, "UNAUTHORIZED");
}

/**
 * Where to go after signing in: only a path on this site. Anything else (another origin, `//host`,
 * `/\host`, `javascript:`) falls back to the account page, so a crafted link cannot send a freshly
 * signed-in person to another site (open redirect).
 */
export function safeReturnPath(next: string | null | undefined, origin = location.origin): string {
  const fallback = "/account/";
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  try {
    const url = new URL(next, origin);
    if (url.origin !== origin) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
