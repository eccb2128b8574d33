import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { HonoEnv } from "../../../env";
import { issueSession } from "../../../pkg/auth";
import { setBrowserSession } from "../../../pkg/auth/browser-session";
import { accountFor } from "../../../pkg/auth/oidc/accounts";
import { providerConfig, redeemCode } from "../../../pkg/auth/oidc/client";
import { OIDC_PATH, takeFlow } from "../../../pkg/auth/oidc/flow";
import { findProvider } from "../../../pkg/auth/oidc/providers";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { log } from "../../../pkg/log";
import { apiRoute } from "../../../pkg/openapi/route";
import { countIpSignInAttempt } from "../../../pkg/ratelimit";
import { DEFAULT_RETURN_PATH } from "./oidc-start";
import { OidcProviderParamsSchema } from "./schema";

/**
 * Why a sign-in through a provider failed, as `oidc_error` on the sign-in page, which says it in words
 * (site/src/lib/oidc.ts). A navigation cannot show a JSON error, so the browser goes back there.
 */
export const OIDC_ERRORS = [
  "denied", // the person declined at the provider
  "provider_error", // the provider answered with another OAuth error
  "state", // no sign-in started in this browser matches (expired, used already, or started elsewhere)
  "failed", // the code or the ID token did not pass the checks
  "no_email", // the provider shared no usable email for a new account
  "unverified_email", // an account has this email, and the provider did not say it is verified
  "disabled", // the account is disabled
  "rate_limited", // too many sign-in attempts from this IP
  "unavailable", // the provider, Redis or the database could not be reached
] as const;
export type OidcError = (typeof OIDC_ERRORS)[number];

const param = (description: string) => z.string().max(4096).optional().openapi({ description });

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.browser.oidc.callback",
  method: "get",
  path: `${OIDC_PATH}/{provider}/callback`,
  summary: "Where the OpenID Connect provider sends the browser back",
  description:
    "Takes the sign-in attempt named by `state` (once: a replayed callback fails), checks that this browser started it (its " +
    "`state` cookie), exchanges the code with the PKCE verifier and validates the ID token (signature, `iss`, `aud`, `exp`, " +
    "`nonce`). The account is the one linked to the provider's `iss` + `sub`; else the account with the asserted email, linked " +
    "only when the provider says `email_verified: true`; else a new account. Each callback counts against the sign-in limit " +
    "per IP (`LOGIN_RATE_LIMITS`). On success the session cookies are set as by `POST /api/v1/auth/browser/signin` and the " +
    "browser goes to the return path; on failure to `/signin/?oidc_error=<reason>` (one of " +
    `${OIDC_ERRORS.map((e) => `\`${e}\``).join(", ")}; \`rate_limited\` adds \`retry_after\` in seconds).`,
  request: {
    params: OidcProviderParamsSchema,
    query: z.object({
      code: param("The authorization code"),
      state: param("The `state` sent at the start"),
      iss: param("The provider's issuer (RFC 9207)"),
      error: param("An OAuth error code instead of a code, e.g. `access_denied`"),
      error_description: param("The provider's words about the error"),
    }),
  },
  errors: { 404: "No provider with this id is configured." },
  responses: {
    302: {
      description: "Signed in: to the return path, with the session cookies set; or to the sign-in page with `oidc_error`",
      headers: z.object({ Location: z.string().openapi({ description: "The return path, or `/signin/?oidc_error=…`" }) }),
    },
  },
});

function failed(c: Context<HonoEnv>, reason: OidcError, extra: Record<string, string> = {}) {
  const query = new URLSearchParams({ oidc_error: reason, ...extra });
  return c.redirect(`/signin/?${query}`, 302);
}

const nextOf = (returnTo: string): Record<string, string> => (returnTo === DEFAULT_RETURN_PATH ? {} : { next: returnTo });

export function registerAuthOidcCallback(app: App) {
  app.openapi(route, async (c) => {
    const { provider: id } = c.req.valid("param");
    const provider = findProvider(c.env, id);
    if (!provider) throw new ApiError("NOT_FOUND", "No such sign-in provider.");
    const query = c.req.valid("query");

    let wait: number | undefined;
    try {
      wait = await countIpSignInAttempt(c);
    } catch {
      return failed(c, "unavailable");
    }
    if (wait !== undefined) return failed(c, "rate_limited", { retry_after: String(wait) });

    if (!query.state) return failed(c, query.error === "access_denied" ? "denied" : "state");
    const taken = await takeFlow(c, query.state).catch(() => undefined);
    if (!taken) return failed(c, "unavailable");
    if ("problem" in taken || taken.flow.provider !== id) {
      log(c, "warn", {
        msg: "OpenID Connect callback refused",
        provider: id,
        problem: "problem" in taken ? taken.problem : "provider",
      });
      return failed(c, "state");
    }
    const { flow } = taken;
    const next = nextOf(flow.returnTo);
    if (query.error) return failed(c, query.error === "access_denied" ? "denied" : "provider_error", next);

    let config: Awaited<ReturnType<typeof providerConfig>>;
    try {
      config = await providerConfig(provider);
    } catch (err) {
      log(c, "error", { msg: "OpenID Connect discovery failed", provider: id, error: String(err) });
      return failed(c, "unavailable", next);
    }
    let asserted: Awaited<ReturnType<typeof redeemCode>>;
    try {
      asserted = await redeemCode(config, new URL(c.req.url), flow);
    } catch (err) {
      const { code, cause } = err as { code?: unknown; cause?: { claim?: unknown; error?: unknown } };
      const detail = { code, claim: cause?.claim, oauth_error: cause?.error, error: String(err) };
      log(c, "warn", { msg: "OpenID Connect sign-in failed its checks", provider: id, ...detail });
      return failed(c, "failed", next);
    }
    const outcome = await accountFor(c.env, id, asserted);
    if ("problem" in outcome) {
      log(c, "info", { msg: "OpenID Connect sign-in refused", provider: id, problem: outcome.problem });
      return failed(c, outcome.problem, next);
    }
    if (outcome.created) log(c, "info", { msg: "account created through OpenID Connect", provider: id, user: outcome.user.id });
    setBrowserSession(c, await issueSession(c.env, outcome.user));
    return c.redirect(flow.returnTo, 302);
  });
}
