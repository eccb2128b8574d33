import { z } from "@hono/zod-openapi";
import { OIDC_PATH } from "../../../pkg/auth/oidc/flow";
import { configuredProviders } from "../../../pkg/auth/oidc/providers";
import type { App } from "../../../pkg/hono/app";
import { log } from "../../../pkg/log";
import { apiRoute } from "../../../pkg/openapi/route";

const ProvidersSchema = z
  .object({
    success: z.literal(true),
    data: z.array(
      z.object({
        id: z.string().openapi({ example: "google" }),
        name: z.string().openapi({ description: "The label for its sign-in button", example: "Google" }),
        start_url: z.string().openapi({ example: `${OIDC_PATH}/google/start` }),
      }),
    ),
  })
  .openapi("OidcProviders");

const route = apiRoute({
  access: "anonymous",
  tags: ["auth"],
  operationId: "auth.browser.oidc.providers",
  method: "get",
  path: OIDC_PATH,
  summary: "The OpenID Connect providers people may sign in with",
  description:
    "The providers configured by the `OIDC_*` bindings (docs: Configure an OpenID Connect provider), one sign-in button each. " +
    "Empty when none is configured.",
  responses: {
    200: { description: "The configured providers", content: { "application/json": { schema: ProvidersSchema } } },
  },
});

export function registerAuthOidcProviders(app: App) {
  app.openapi(route, (c) => {
    const { providers, problems } = configuredProviders(c.env);
    for (const problem of problems) log(c, "error", { msg: "OpenID Connect provider not configured correctly", problem });
    const data = providers.map((p) => ({ id: p.id, name: p.name, start_url: `${OIDC_PATH}/${p.id}/start` }));
    return c.json({ success: true as const, data }, 200);
  });
}
