import { z } from "@hono/zod-openapi";
import { authorizationUrl, newChecks, providerConfig } from "../../../pkg/auth/oidc/client";
import { OIDC_PATH, saveFlow } from "../../../pkg/auth/oidc/flow";
import { findProvider } from "../../../pkg/auth/oidc/providers";
import { ApiError, ServiceUnavailableError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { log } from "../../../pkg/log";
import { apiRoute } from "../../../pkg/openapi/route";
import { OidcProviderParamsSchema, ReturnPathSchema } from "./schema";

export const DEFAULT_RETURN_PATH = "/account/";

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.browser.oidc.start",
  method: "get",
  path: `${OIDC_PATH}/{provider}/start`,
  summary: "Start signing in with an OpenID Connect provider (a browser navigation)",
  description:
    "Redirects the browser to the provider's authorization endpoint (authorization code flow with PKCE `S256`, `state` and " +
    "`nonce`). The `state`, `nonce`, PKCE verifier and `return_to` stay on the server for 10 minutes, and the browser gets the " +
    "`state` in an `HttpOnly; Secure; SameSite=Lax` cookie for `/api/v1/auth/browser/oidc`, which the callback checks. " +
    "`return_to` must be a path on this site (another origin, `//host` and `/\\host` are refused with 400).",
  request: { params: OidcProviderParamsSchema, query: z.object({ return_to: ReturnPathSchema.optional() }) },
  errors: { 404: "No provider with this id is configured.", 503: "The provider's discovery document or Redis is unreachable." },
  responses: {
    302: {
      description: "To the provider's authorization endpoint",
      headers: z.object({ Location: z.string().openapi({ description: "The provider's authorization URL" }) }),
    },
  },
});

export function registerAuthOidcStart(app: App) {
  app.openapi(route, async (c) => {
    const { provider: id } = c.req.valid("param");
    const provider = findProvider(c.env, id);
    if (!provider) throw new ApiError("NOT_FOUND", "No such sign-in provider.");
    const config = await providerConfig(provider).catch((err: unknown) => {
      log(c, "error", { msg: "OpenID Connect discovery failed", provider: id, error: String(err) });
      throw new ServiceUnavailableError(`${provider.name} cannot be reached; try again shortly.`);
    });
    const checks = await newChecks();
    // The callback on the origin this request came to; the operator registers exactly this URL at the provider.
    const redirectUri = `${new URL(c.req.url).origin}${OIDC_PATH}/${id}/callback`;
    const { state, nonce, verifier } = checks;
    await saveFlow(c, { state, nonce, verifier, provider: id, returnTo: c.req.valid("query").return_to ?? DEFAULT_RETURN_PATH });
    return c.redirect(authorizationUrl(config, redirectUri, checks).href, 302);
  });
}
