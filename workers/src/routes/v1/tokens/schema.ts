import { z } from "@hono/zod-openapi";
import type { Identity } from "../../../pkg/auth";
import { schema } from "../../../pkg/db";
import { ApiError } from "../../../pkg/errors";

export const TokenRoleSchema = z.enum(["user", "service", "admin"]);

export const TokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: TokenRoleSchema,
    prefix: z.string().openapi({ description: "First characters of the token, for recognising it", example: "pil_AbC123" }),
    service: z.string().nullable().openapi({ description: "Connector name, for service tokens" }),
    sources: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'Service tokens: the source names it may ingest under (`["*"]`: any); null for other roles' }),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime().nullable(),
    last_used_at: z.iso.datetime().nullable(),
  })
  .openapi("ApiToken");

export const CreatedTokenSchema = TokenSchema.extend({
  token: z.string().openapi({ description: "The token itself. Shown only in this response: store it now." }),
}).openapi("CreatedApiToken");

export const ExpiresAtSchema = z.iso
  .datetime({ offset: true })
  .refine((v) => Date.parse(v) > Date.now(), "must be in the future")
  .openapi({ description: "When the token stops working (omit for no expiry)", example: "2027-01-01T00:00:00Z" });

type TokenRow = {
  id: string;
  name: string;
  role: string;
  prefix: string;
  service: string | null;
  sources?: string[] | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt?: Date | null;
};

/** The columns `tokenView` reads, for the queries that list or return tokens. */
export const tokenViewColumns = {
  id: schema.apiTokens.id,
  name: schema.apiTokens.name,
  role: schema.apiTokens.role,
  prefix: schema.apiTokens.prefix,
  service: schema.apiTokens.service,
  sources: schema.apiTokens.sources,
  createdAt: schema.apiTokens.createdAt,
  expiresAt: schema.apiTokens.expiresAt,
  lastUsedAt: schema.apiTokens.lastUsedAt,
};

export function tokenView(row: TokenRow): z.infer<typeof TokenSchema> {
  return {
    id: row.id,
    name: row.name,
    role: row.role as z.infer<typeof TokenRoleSchema>,
    prefix: row.prefix,
    service: row.service,
    sources: row.sources ?? null,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt?.toISOString() ?? null,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** Tokens made through the API belong to a user account; callers without one cannot own tokens. */
export function ownerOf(identity: Identity): string {
  if (identity.kind !== "anonymous" && identity.userId) return identity.userId;
  throw new ApiError("FORBIDDEN", "Only credentials that belong to a user account can manage API tokens.");
}
