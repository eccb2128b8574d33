/**
 * One sign-in attempt at a provider, between the start and the callback: its `state`, `nonce`, PKCE
 * verifier and return path stay on the server, in Redis under a hash of `state`, for ten minutes, and
 * are taken with GETDEL, so each is used once (a replayed callback finds nothing). The browser that
 * started it gets the `state` in an `HttpOnly` cookie too, and the callback must carry the same one:
 * a callback URL made in another browser (login CSRF, RFC 6749 §10.12) is refused. Each attempt has a
 * cookie of its own (named after a hash of its `state`): browsers may request the start URL twice at
 * once (seen in Chromium), and one shared cookie would then hold the other attempt's state.
 *
 * The cookie is `SameSite=Lax`, not Strict: the provider sends the browser back with a cross-site
 * redirect, a top-level GET on which Lax cookies are sent and Strict ones are not (RFC 6265bis §5.2).
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { HonoEnv } from "../../../env";
import { getRedis } from "../../redis";
import { sha256Hex } from "../api-token";
import { constantTimeEqual } from "../password";
import type { Checks } from "./client";

export const FLOW_COOKIE_PREFIX = "__Secure-pillow_oidc_";
export const OIDC_PATH = "/api/v1/auth/browser/oidc";
export const FLOW_TTL_SECONDS = 600;

export type Flow = Checks & { provider: string; returnTo: string };

const key = async (state: string) => `oidc:flow:${await sha256Hex(state)}`;

/** The cookie that ties the attempt with this `state` to the browser that started it. */
export const flowCookieName = async (state: string) => `${FLOW_COOKIE_PREFIX}${(await sha256Hex(state)).slice(0, 16)}`;

export async function saveFlow(c: Context<HonoEnv>, flow: Flow): Promise<void> {
  await getRedis(c.env).set(await key(flow.state), flow, { ex: FLOW_TTL_SECONDS });
  setCookie(c, await flowCookieName(flow.state), flow.state, {
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: OIDC_PATH,
    maxAge: FLOW_TTL_SECONDS,
  });
}

export type Taken = { flow: Flow } | { problem: "no_flow" | "no_cookie" | "other_browser" };

/**
 * Takes the attempt named by the callback's `state` (once), and checks this browser started it. Its
 * cookie, when the browser sent it, is cleared whatever the outcome.
 */
export async function takeFlow(c: Context<HonoEnv>, state: string): Promise<Taken> {
  const name = await flowCookieName(state);
  const cookie = getCookie(c, name);
  if (cookie !== undefined) deleteCookie(c, name, { path: OIDC_PATH, secure: true, httpOnly: true, sameSite: "Lax" });
  const flow = await getRedis(c.env).getdel<Flow>(await key(state));
  if (!flow) return { problem: "no_flow" };
  const utf8 = new TextEncoder();
  if (!cookie) return { problem: "no_cookie" };
  if (!constantTimeEqual(utf8.encode(cookie), utf8.encode(flow.state))) return { problem: "other_browser" };
  return { flow };
}
