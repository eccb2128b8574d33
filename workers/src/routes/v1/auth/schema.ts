import { z } from "@hono/zod-openapi";
import { PROVIDER_ID } from "../../../pkg/auth/oidc/providers";

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

/** Who signed in; `has_password` tells the account page whether to offer "Set a password" or "Change password". */
export const SessionUserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: z.enum(["user", "service", "admin"]),
    has_password: z.boolean().openapi({
      description:
        "Whether the account has a password. One made through an OpenID Connect provider has none until its owner sets " +
        "one (`POST /api/v1/auth/password` without `current_password`); it confirms deletion with its email address instead.",
    }),
  })
  .openapi("SessionUser");

export const SessionSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      access_token: z.string().openapi({ description: "ES256 JWT; send as `Authorization: Bearer …`" }),
      token_type: z.literal("Bearer"),
      expires_in: z.number().int().openapi({ description: "Seconds until the access token expires" }),
      refresh_token: z.string().openapi({ description: "Single use: each refresh returns a new one" }),
      refresh_expires_in: z.number().int(),
      user: SessionUserSchema,
    }),
  })
  .openapi("Session");

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** A browser session's answer: the refresh token is in an HttpOnly cookie, never in the body. */
export const BrowserSessionSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      access_token: z.string().openapi({ description: "ES256 JWT; keep it in memory and send as `Authorization: Bearer …`" }),
      token_type: z.literal("Bearer"),
      expires_in: z.number().int().openapi({ description: "Seconds until the access token expires; refresh before then" }),
      refresh_expires_in: z.number().int(),
      csrf_token: z.string().openapi({ description: "Also in the readable CSRF cookie; echo it as `X-CSRF-Token`" }),
      user: SessionUserSchema,
    }),
  })
  .openapi("BrowserSession");

/** Cookie-authenticated requests echo the CSRF cookie in this header (docs/auth.md "Browser sessions"). */
export const CsrfHeaderSchema = z.object({
  "x-csrf-token": z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "x-csrf-token", in: "header" }, description: "The value of the `__Secure-pillow_csrf` cookie" }),
});

export const NoBody = {
  required: false,
  content: { "application/json": { schema: z.object({}).strict().openapi("Empty") } },
};

/**
 * Where to go after signing in: a path on this site only (`/…`, not `//host` or `/\host`, no control
 * characters, which browsers drop from URLs and so could turn `/<tab>/host` into `//host`). Anything
 * else is refused, so a crafted sign-in link cannot send a freshly signed-in person to another site.
 */
export const ReturnPathSchema = z
  .string()
  .max(512)
  .refine(
    (p) =>
      p.startsWith("/") &&
      !p.startsWith("//") &&
      !p.includes("\\") &&
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
      !/[\u0000-\u001f\u007f]/.test(p) &&
      new URL(p, "https://origin.invalid").origin === "https://origin.invalid",
    "must be a path on this site, starting with a single /",
  )
  .openapi({ description: "A path on this site to land on afterwards (default `/account/`)", example: "/account/" });

export const OidcProviderParamsSchema = z.object({
  provider: z
    .string()
    .regex(PROVIDER_ID)
    .openapi({ param: { name: "provider", in: "path" }, description: "A configured provider's id", example: "google" }),
});
