import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../../env";
import { getDb, schema } from "../db";
import { ApiError } from "../errors";
import { afterResponse } from "../hono/after-response";
import { log } from "../log";
import { sha256Hex, TOKEN_PREFIX } from "./api-token";
import type { Identity, Role } from "./identity";
import { cachedTokenIdentity, rememberTokenIdentity } from "./identity-cache";

const INVALID = "Invalid or expired credentials.";

/** The caller's address as Cloudflare reports it; anonymous callers are limited by it. */
export function clientIp(headers: Headers): string {
  return headers.get("cf-connecting-ip") ?? headers.get("x-real-ip") ?? "unknown";
}

/**
 * Looks an API token up by its hash; unknown, revoked and expired tokens all fail the same way. A valid
 * token's identity is remembered in the data centre for a bounded time (identity-cache.ts), so a warm
 * token makes no database round trip; only valid tokens are remembered, so a wrong one always asks.
 */
async function identityFromApiToken(c: Parameters<MiddlewareHandler<HonoEnv>>[0], token: string): Promise<Identity> {
  const hash = await sha256Hex(token);
  const cached = await cachedTokenIdentity(hash);
  if (cached) return cached;
  const db = getDb(c.env);
  const t = schema.apiTokens;
  const [row] = await db
    .select({
      id: t.id,
      role: t.role,
      userId: t.userId,
      service: t.service,
      sources: t.sources,
      lastUsedAt: t.lastUsedAt,
      expiresAt: t.expiresAt,
    })
    .from(t)
    .where(and(eq(t.tokenHash, hash), isNull(t.revokedAt), or(isNull(t.expiresAt), gt(t.expiresAt, sql`now()`))))
    .limit(1);
  if (!row) throw new ApiError("UNAUTHORIZED", INVALID);
  // Recorded when the identity is looked up, so `last_used_at` is exact to the identity cache's TTL.
  recordUse(c, row.id, row.lastUsedAt);
  const identity = {
    kind: "token" as const,
    role: row.role as Exclude<Role, "anonymous">,
    subject: row.service ? `service:${row.service}` : `token:${row.id}`,
    tokenId: row.id,
    userId: row.userId,
    sources: row.sources,
  };
  afterResponse(c)(rememberTokenIdentity(c.env, hash, identity, row.expiresAt));
  return identity;
}

/** How stale `last_used_at` may get: at most one extra write per token per interval. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Notes when a token was last used (shown in the token list), after the response, off the request's path. */
function recordUse(c: Parameters<MiddlewareHandler<HonoEnv>>[0], id: string, lastUsedAt: Date | null): void {
  if (lastUsedAt && Date.now() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  const t = schema.apiTokens;
  const write = getDb(c.env)
    .update(t)
    .set({ lastUsedAt: sql`now()` })
    .where(eq(t.id, id))
    .then(
      () => {},
      (err: Error) => log(c, "warn", { msg: "could not record API token use", error: err.message }),
    );
  afterResponse(c)(write);
}

export type BearerVerifier = (c: Parameters<MiddlewareHandler<HonoEnv>>[0], credential: string) => Promise<Identity>;

/**
 * Resolves the caller's identity from `Authorization: Bearer …`: API tokens (`pil_…`) by hash, other
 * bearer credentials through `verifyJwt` (the user-session verifier). No header → anonymous.
 * A header that is present but wrong is always 401, never silently anonymous.
 */
export function authenticate(options: { verifyJwt?: BearerVerifier } = {}): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) {
      c.set("identity", { kind: "anonymous", role: "anonymous", subject: `ip:${clientIp(c.req.raw.headers)}` });
      return next();
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new ApiError("UNAUTHORIZED", INVALID);
    const credential = match[1];
    if (credential.startsWith(TOKEN_PREFIX)) c.set("identity", await identityFromApiToken(c, credential));
    else if (options.verifyJwt) c.set("identity", await options.verifyJwt(c, credential));
    else throw new ApiError("UNAUTHORIZED", INVALID);
    return next();
  };
}
