import { z } from "@hono/zod-openapi";
import { mintApiToken, roleAtMost } from "../../../pkg/auth";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { CreatedTokenSchema, ExpiresAtSchema, ownerOf, TokenRoleSchema, tokenView } from "./schema";

export const CreateTokenRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "laptop scripts" }),
    role: TokenRoleSchema.default("user").openapi({ description: "At most the caller's own role (default `user`)" }),
    expires_at: ExpiresAtSchema.optional(),
  })
  .strict()
  .openapi("CreateTokenRequest");

export const CreateTokenResponseSchema = z
  .object({ success: z.literal(true), data: CreatedTokenSchema })
  .openapi("CreateTokenResponse");

const route = apiRoute({
  access: "user",
  tags: ["tokens"],
  operationId: "tokens.create",
  method: "post",
  path: "/api/v1/tokens",
  summary: "Create an API token",
  description:
    "Creates a `pil_…` token owned by the caller, with a role at most the caller's own. The token is returned once; " +
    "only its SHA-256 is stored.",
  request: { body: { required: true, content: { "application/json": { schema: CreateTokenRequestSchema } } } },
  responses: {
    201: {
      description: "Created; the only time the token is shown",
      content: { "application/json": { schema: CreateTokenResponseSchema } },
    },
  },
});

export function registerTokensCreate(app: App) {
  app.openapi(route, async (c) => {
    const identity = c.get("identity");
    const userId = ownerOf(identity);
    const body = c.req.valid("json");
    if (!roleAtMost(body.role, identity.role)) {
      throw new ApiError("FORBIDDEN", `You cannot create a token with the role ${body.role}; your role is ${identity.role}.`);
    }
    const minted = await mintApiToken(c.env, {
      name: body.name,
      role: body.role,
      userId,
      expiresAt: body.expires_at ? new Date(body.expires_at) : null,
    });
    return c.json({ success: true as const, data: { ...tokenView(minted), token: minted.token } }, 201);
  });
}
