import { z } from "@hono/zod-openapi";

export const EmailSchema = z
  .email()
  .max(254)
  .transform((e) => e.trim().toLowerCase())
  .openapi({ example: "ada@example.com" });

/**
 * Long passphrases are welcome; the upper bound only keeps hashing cost predictable. Spaces inside
 * count, but a password of nothing but whitespace (of any Unicode kind) is refused.
 */
export const PasswordSchema = z
  .string()
  .min(12)
  .max(1024)
  // A refinement, not `.regex`: the generator would write the `u` flag into the document's `pattern`.
  .refine((p) => /[^\s\p{Z}\p{Cc}\p{Cf}]/u.test(p), "must contain something other than whitespace")
  .openapi({
    description: "12–1024 characters, not only whitespace (spaces, tabs, no-break or zero-width spaces)",
    example: "correct horse battery staple",
  });

export const CredentialsSchema = z.object({ email: EmailSchema, password: PasswordSchema }).strict().openapi("Credentials");

export const RefreshRequestSchema = z
  .object({
    refresh_token: z.string().min(1).max(256).openapi({ description: "The refresh token from login or the last refresh" }),
  })
  .strict()
  .openapi("RefreshRequest");

export const SessionSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      access_token: z.string().openapi({ description: "ES256 JWT; send as `Authorization: Bearer …`" }),
      token_type: z.literal("Bearer"),
      expires_in: z.number().int().openapi({ description: "Seconds until the access token expires" }),
      refresh_token: z.string().openapi({ description: "Single use: each refresh returns a new one" }),
      refresh_expires_in: z.number().int(),
      user: z.object({ id: z.uuid(), email: z.string(), role: z.enum(["user", "service", "admin"]) }),
    }),
  })
  .openapi("Session");

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});
