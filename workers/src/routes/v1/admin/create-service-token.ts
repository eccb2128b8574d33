import { z } from "@hono/zod-openapi";
import { mintApiToken, SourceGrantSchema } from "../../../pkg/auth";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { CreatedTokenSchema, ExpiresAtSchema, tokenView } from "../tokens/schema";

/** Connector names as used in `connectors/` and in `npm run token -- --service <name>`. */
export const ServiceNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lowercase letters, digits, - and _ (at most 63)")
  .openapi({ example: "kc-assessor" });

export const CreateServiceTokenRequestSchema = z
  .object({
    service: ServiceNameSchema,
    sources: SourceGrantSchema,
    name: z.string().trim().min(1).max(100).optional(),
    expires_at: ExpiresAtSchema.optional(),
  })
  .strict()
  .openapi("CreateServiceTokenRequest");

export const CreateServiceTokenResponseSchema = z
  .object({ success: z.literal(true), data: CreatedTokenSchema })
  .openapi("CreateServiceTokenResponse");

const route = apiRoute({
  access: "admin",
  tags: ["admin"],
  operationId: "admin.serviceTokens.create",
  method: "post",
  path: "/api/v1/admin/service-tokens",
  summary: "Mint a service token for a connector (admin)",
  description:
    "Creates a `service` token that belongs to no user, for a connector to send as `Authorization: Bearer`. " +
    'It may ingest only under the source names in `sources` (`["*"]`: any); items under others are refused one by one (403). ' +
    "The same as `npm run token -- --service <name> --sources <a,b>`. The token is returned once.",
  request: { body: { required: true, content: { "application/json": { schema: CreateServiceTokenRequestSchema } } } },
  responses: {
    201: {
      description: "Created; the only time the token is shown",
      content: { "application/json": { schema: CreateServiceTokenResponseSchema } },
    },
  },
});

export function registerAdminCreateServiceToken(app: App) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const minted = await mintApiToken(c.env, {
      name: body.name ?? `service ${body.service}`,
      role: "service",
      service: body.service,
      sources: body.sources,
      userId: null,
      expiresAt: body.expires_at ? new Date(body.expires_at) : null,
    });
    return c.json({ success: true as const, data: { ...tokenView(minted), token: minted.token } }, 201);
  });
}
